// SPDX-License-Identifier: GPL-2.0
/*
 * expether PEB: simple dual-port RAM, one write port and one registered
 * read port on the same clock.  Written so that yosys and vendor tools
 * infer block RAM.  No initial contents: the bridge reads only words it
 * wrote.
 */

// Language: Verilog 2001

`resetall
`timescale 1ns / 1ps
`default_nettype none

module peb_ram_sdp #
(
    // Width of one word
    parameter DATA_WIDTH = 64,
    // 2^ADDR_WIDTH words
    parameter ADDR_WIDTH = 10
)
(
    input  wire                  clk,

    /*
     * Write port
     */
    input  wire                  wr_en,
    input  wire [ADDR_WIDTH-1:0] wr_addr,
    input  wire [DATA_WIDTH-1:0] wr_data,

    /*
     * Read port: rd_data is the word at rd_addr one cycle after rd_en
     */
    input  wire                  rd_en,
    input  wire [ADDR_WIDTH-1:0] rd_addr,
    output wire [DATA_WIDTH-1:0] rd_data
);

localparam DEPTH = 2**ADDR_WIDTH;

reg [DATA_WIDTH-1:0] mem[0:DEPTH-1];
reg [DATA_WIDTH-1:0] rd_data_reg;

assign rd_data = rd_data_reg;

always @(posedge clk) begin
    if (wr_en) begin
        mem[wr_addr] <= wr_data;
    end
    if (rd_en) begin
        rd_data_reg <= mem[rd_addr];
    end
end

endmodule

`resetall
