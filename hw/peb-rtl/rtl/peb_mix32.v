// SPDX-License-Identifier: GPL-2.0
/*
 * expether PEB: the 32-bit mixer of the initial sequence numbers,
 * lowbias32 (C. Wellons, 2018), as ee_gbn_mix() in net/expether/ee_gbn.c:
 *
 *   x ^= x >> 16; x *= 0x7feb352d; x ^= x >> 15; x *= 0x846ca68b;
 *   x ^= x >> 16;
 *
 * or, with INVERSE = 1, its inverse ee_gbn_unmix() (which generation a
 * SYN's sequence number belongs to):
 *
 *   x ^= x >> 16; x *= 0x43021123; x ^= x >> 15 ^ x >> 30;
 *   x *= 0x1d69e2a5; x ^= x >> 16;
 *
 * Fully pipelined: one input per cycle, the result LATENCY cycles later.
 * Each 32x32 multiplication (low half) is split into three 16x16 partial
 * products in one stage and their sum in the next, so no stage holds more
 * than one 16-bit multiplier or one 32-bit adder.
 */

// Language: Verilog 2001

`resetall
`timescale 1ns / 1ps
`default_nettype none

module peb_mix32 #
(
    // 0: the mixer, 1: its inverse
    parameter INVERSE = 0
)
(
    input  wire        clk,
    input  wire        rst,

    input  wire        in_valid,
    input  wire [31:0] in_data,
    // a tag travelling with the value (e.g. which candidate it is)
    input  wire [7:0]  in_tag,

    output wire        out_valid,
    output wire [31:0] out_data,
    output wire [7:0]  out_tag
);

localparam [31:0] C1 = INVERSE ? 32'h43021123 : 32'h7feb352d;
localparam [31:0] C2 = INVERSE ? 32'h1d69e2a5 : 32'h846ca68b;

// stage 1: partial products of (x ^ x >> 16) * C1
reg [31:0] p1_lo_reg;       // a[15:0] * C1[15:0]
reg [15:0] p1_mid_reg;      // low halves of a[15:0] * C1[31:16] + a[31:16] * C1[15:0]
// stage 2: the product
reg [31:0] m1_reg;
// stage 3: partial products of (m1 ^ m1 >> 15) * C2
reg [31:0] p2_lo_reg;
reg [15:0] p2_mid_reg;
// stage 4: the product
reg [31:0] m2_reg;

reg [3:0] valid_reg;
reg [7:0] tag_reg[0:3];

wire [31:0] a = in_data ^ {16'd0, in_data[31:16]};
// the middle xorshift; undoing x ^= x >> 15 takes a second term
wire [31:0] b = m1_reg ^ {15'd0, m1_reg[31:15]} ^
                (INVERSE ? {30'd0, m1_reg[31:30]} : 32'd0);

wire [31:0] a_ll = a[15:0] * C1[15:0];
wire [31:0] a_lh = a[15:0] * C1[31:16];
wire [31:0] a_hl = a[31:16] * C1[15:0];
wire [31:0] b_ll = b[15:0] * C2[15:0];
wire [31:0] b_lh = b[15:0] * C2[31:16];
wire [31:0] b_hl = b[31:16] * C2[15:0];

assign out_valid = valid_reg[3];
assign out_data = m2_reg ^ {16'd0, m2_reg[31:16]};
assign out_tag = tag_reg[3];

always @(posedge clk) begin
    p1_lo_reg <= a_ll;
    p1_mid_reg <= a_lh[15:0] + a_hl[15:0];
    m1_reg <= p1_lo_reg + {p1_mid_reg, 16'd0};
    p2_lo_reg <= b_ll;
    p2_mid_reg <= b_lh[15:0] + b_hl[15:0];
    m2_reg <= p2_lo_reg + {p2_mid_reg, 16'd0};

    valid_reg <= {valid_reg[2:0], in_valid};
    tag_reg[0] <= in_tag;
    tag_reg[1] <= tag_reg[0];
    tag_reg[2] <= tag_reg[1];
    tag_reg[3] <= tag_reg[2];

    if (rst) begin
        valid_reg <= 4'd0;
    end
end

// the high halves of the cross products fall outside the 32-bit result
wire _unused_ok = &{1'b0, a_lh[31:16], a_hl[31:16], b_lh[31:16], b_hl[31:16]};

endmodule

`resetall
