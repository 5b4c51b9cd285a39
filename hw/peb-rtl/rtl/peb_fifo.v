// SPDX-License-Identifier: GPL-2.0
/*
 * expether PEB: synchronous first-word-fall-through FIFO with valid/ready
 * handshakes on both sides.  The storage is a RAM with a registered read
 * (block or distributed RAM); an output register holds the head, so the
 * capacity is 2^ADDR_WIDTH + 1 entries.
 */

// Language: Verilog 2001

`resetall
`timescale 1ns / 1ps
`default_nettype none

module peb_fifo #
(
    // Width of one entry
    parameter WIDTH = 8,
    // 2^ADDR_WIDTH entries in the RAM
    parameter ADDR_WIDTH = 3
)
(
    input  wire             clk,
    input  wire             rst,

    /*
     * Input
     */
    input  wire [WIDTH-1:0] in_data,
    input  wire             in_valid,
    output wire             in_ready,

    /*
     * Output
     */
    output wire [WIDTH-1:0] out_data,
    output wire             out_valid,
    input  wire             out_ready,

    /*
     * Status: entries held, output register included
     */
    output wire [ADDR_WIDTH+1:0] count
);

localparam DEPTH = 2**ADDR_WIDTH;

reg [WIDTH-1:0] mem[0:DEPTH-1];

reg [ADDR_WIDTH:0] wr_ptr_reg, wr_ptr_next;
reg [ADDR_WIDTH:0] rd_ptr_reg, rd_ptr_next;
reg [WIDTH-1:0] out_data_reg;
reg out_valid_reg, out_valid_next;

reg mem_wr;
reg mem_rd;

wire full = wr_ptr_reg == (rd_ptr_reg ^ {1'b1, {ADDR_WIDTH{1'b0}}});
wire empty = wr_ptr_reg == rd_ptr_reg;
wire [ADDR_WIDTH:0] used = wr_ptr_reg - rd_ptr_reg;

assign in_ready = !full;
assign out_data = out_data_reg;
assign out_valid = out_valid_reg;
assign count = {1'b0, used} + {{ADDR_WIDTH+1{1'b0}}, out_valid_reg};

always @* begin
    wr_ptr_next = wr_ptr_reg;
    rd_ptr_next = rd_ptr_reg;
    out_valid_next = out_valid_reg;
    mem_wr = 1'b0;
    mem_rd = 1'b0;

    if (in_valid && !full) begin
        mem_wr = 1'b1;
        wr_ptr_next = wr_ptr_reg + 1'b1;
    end

    if (!out_valid_reg || out_ready) begin
        if (!empty) begin
            mem_rd = 1'b1;
            rd_ptr_next = rd_ptr_reg + 1'b1;
            out_valid_next = 1'b1;
        end else begin
            out_valid_next = 1'b0;
        end
    end
end

always @(posedge clk) begin
    if (mem_wr) begin
        mem[wr_ptr_reg[ADDR_WIDTH-1:0]] <= in_data;
    end
    if (mem_rd) begin
        out_data_reg <= mem[rd_ptr_reg[ADDR_WIDTH-1:0]];
    end

    wr_ptr_reg <= wr_ptr_next;
    rd_ptr_reg <= rd_ptr_next;
    out_valid_reg <= out_valid_next;

    if (rst) begin
        wr_ptr_reg <= {ADDR_WIDTH+1{1'b0}};
        rd_ptr_reg <= {ADDR_WIDTH+1{1'b0}};
        out_valid_reg <= 1'b0;
    end
end

endmodule

`resetall
