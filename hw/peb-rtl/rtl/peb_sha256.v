// SPDX-License-Identifier: GPL-2.0
/*
 * expether PEB: SHA-256 compression function (FIPS 180-4), one 512-bit
 * block at a time, for the HMAC of management frames (peb_mgmt.v).
 *
 * start loads h_in (the chaining value; SHA256_IV for the first block)
 * and the block (byte 0 of the block in bits [511:504]); 128 cycles
 * later done pulses and h_out holds h_in + the compressed state.  Two
 * cycles per round keep every adder chain at three operands.
 */

// Language: Verilog 2001

`resetall
`timescale 1ns / 1ps
`default_nettype none

module peb_sha256
(
    input  wire         clk,
    input  wire         rst,

    input  wire         start,
    input  wire [255:0] h_in,
    input  wire [511:0] block,

    output wire         done,
    output wire [255:0] h_out
);

reg busy_reg, busy_next;
reg phase_reg, phase_next;              // 0: T1/T2, 1: update
reg [6:0] t_reg, t_next;                // round
reg [31:0] a_reg, a_next, b_reg, b_next, c_reg, c_next, d_reg, d_next;
reg [31:0] e_reg, e_next, f_reg, f_next, g_reg, g_next, h_reg, h_next;
reg [511:0] w_reg, w_next;              // W[t] in [511:480] .. W[t+15] in [31:0]
reg [31:0] pre_reg, pre_next;           // h + K[t] + W[t]
reg [31:0] t1_reg, t1_next;
reg [31:0] t2_reg, t2_next;
reg [255:0] hin_reg, hin_next;
reg [255:0] hout_reg, hout_next;
reg done_reg, done_next;

assign done = done_reg;
assign h_out = hout_reg;

function [31:0] rotr;
    input [31:0] x;
    input integer n;
    begin
        rotr = (x >> n) | (x << (32 - n));
    end
endfunction

function [31:0] kconst;
    input [5:0] i;
    reg [31:0] k;
    begin
        case (i)
            6'd0: k = 32'h428a2f98;
            6'd1: k = 32'h71374491;
            6'd2: k = 32'hb5c0fbcf;
            6'd3: k = 32'he9b5dba5;
            6'd4: k = 32'h3956c25b;
            6'd5: k = 32'h59f111f1;
            6'd6: k = 32'h923f82a4;
            6'd7: k = 32'hab1c5ed5;
            6'd8: k = 32'hd807aa98;
            6'd9: k = 32'h12835b01;
            6'd10: k = 32'h243185be;
            6'd11: k = 32'h550c7dc3;
            6'd12: k = 32'h72be5d74;
            6'd13: k = 32'h80deb1fe;
            6'd14: k = 32'h9bdc06a7;
            6'd15: k = 32'hc19bf174;
            6'd16: k = 32'he49b69c1;
            6'd17: k = 32'hefbe4786;
            6'd18: k = 32'h0fc19dc6;
            6'd19: k = 32'h240ca1cc;
            6'd20: k = 32'h2de92c6f;
            6'd21: k = 32'h4a7484aa;
            6'd22: k = 32'h5cb0a9dc;
            6'd23: k = 32'h76f988da;
            6'd24: k = 32'h983e5152;
            6'd25: k = 32'ha831c66d;
            6'd26: k = 32'hb00327c8;
            6'd27: k = 32'hbf597fc7;
            6'd28: k = 32'hc6e00bf3;
            6'd29: k = 32'hd5a79147;
            6'd30: k = 32'h06ca6351;
            6'd31: k = 32'h14292967;
            6'd32: k = 32'h27b70a85;
            6'd33: k = 32'h2e1b2138;
            6'd34: k = 32'h4d2c6dfc;
            6'd35: k = 32'h53380d13;
            6'd36: k = 32'h650a7354;
            6'd37: k = 32'h766a0abb;
            6'd38: k = 32'h81c2c92e;
            6'd39: k = 32'h92722c85;
            6'd40: k = 32'ha2bfe8a1;
            6'd41: k = 32'ha81a664b;
            6'd42: k = 32'hc24b8b70;
            6'd43: k = 32'hc76c51a3;
            6'd44: k = 32'hd192e819;
            6'd45: k = 32'hd6990624;
            6'd46: k = 32'hf40e3585;
            6'd47: k = 32'h106aa070;
            6'd48: k = 32'h19a4c116;
            6'd49: k = 32'h1e376c08;
            6'd50: k = 32'h2748774c;
            6'd51: k = 32'h34b0bcb5;
            6'd52: k = 32'h391c0cb3;
            6'd53: k = 32'h4ed8aa4a;
            6'd54: k = 32'h5b9cca4f;
            6'd55: k = 32'h682e6ff3;
            6'd56: k = 32'h748f82ee;
            6'd57: k = 32'h78a5636f;
            6'd58: k = 32'h84c87814;
            6'd59: k = 32'h8cc70208;
            6'd60: k = 32'h90befffa;
            6'd61: k = 32'ha4506ceb;
            6'd62: k = 32'hbef9a3f7;
            6'd63: k = 32'hc67178f2;
            default: k = 32'd0;
        endcase
        kconst = k;
    end
endfunction

wire [31:0] w0 = w_reg[511:480];
wire [31:0] w1 = w_reg[479:448];
wire [31:0] w9 = w_reg[223:192];
wire [31:0] w14 = w_reg[63:32];
wire [31:0] s0 = rotr(w1, 7) ^ rotr(w1, 18) ^ (w1 >> 3);
wire [31:0] s1 = rotr(w14, 17) ^ rotr(w14, 19) ^ (w14 >> 10);
wire [31:0] w16 = s1 + w9 + s0 + w0;
wire [31:0] big_s1 = rotr(e_reg, 6) ^ rotr(e_reg, 11) ^ rotr(e_reg, 25);
wire [31:0] big_s0 = rotr(a_reg, 2) ^ rotr(a_reg, 13) ^ rotr(a_reg, 22);
wire [31:0] ch = (e_reg & f_reg) ^ (~e_reg & g_reg);
wire [31:0] maj = (a_reg & b_reg) ^ (a_reg & c_reg) ^ (b_reg & c_reg);

always @* begin
    busy_next = busy_reg;
    phase_next = phase_reg;
    t_next = t_reg;
    a_next = a_reg; b_next = b_reg; c_next = c_reg; d_next = d_reg;
    e_next = e_reg; f_next = f_reg; g_next = g_reg; h_next = h_reg;
    w_next = w_reg;
    pre_next = pre_reg;
    t1_next = t1_reg;
    t2_next = t2_reg;
    hin_next = hin_reg;
    hout_next = hout_reg;
    done_next = 1'b0;

    if (!busy_reg) begin
        if (start) begin
            busy_next = 1'b1;
            phase_next = 1'b0;
            t_next = 7'd0;
            hin_next = h_in;
            {a_next, b_next, c_next, d_next, e_next, f_next, g_next, h_next} = h_in;
            w_next = block;
            pre_next = h_in[31:0] + kconst(6'd0) + block[511:480];
        end
    end else if (!phase_reg) begin
        t1_next = pre_reg + big_s1 + ch;
        t2_next = big_s0 + maj;
        phase_next = 1'b1;
    end else begin
        h_next = g_reg;
        g_next = f_reg;
        f_next = e_reg;
        e_next = d_reg + t1_reg;
        d_next = c_reg;
        c_next = b_reg;
        b_next = a_reg;
        a_next = t1_reg + t2_reg;
        w_next = {w_reg[479:0], w16};
        // the next round's h is this round's g
        pre_next = g_reg + kconst(t_reg[5:0] + 6'd1) + w1;
        phase_next = 1'b0;
        t_next = t_reg + 7'd1;
        if (t_reg == 7'd63) begin
            busy_next = 1'b0;
            done_next = 1'b1;
            hout_next = {hin_reg[255:224] + a_next, hin_reg[223:192] + b_next,
                         hin_reg[191:160] + c_next, hin_reg[159:128] + d_next,
                         hin_reg[127:96] + e_next, hin_reg[95:64] + f_next,
                         hin_reg[63:32] + g_next, hin_reg[31:0] + h_next};
        end
    end
end

always @(posedge clk) begin
    busy_reg <= busy_next;
    phase_reg <= phase_next;
    t_reg <= t_next;
    a_reg <= a_next; b_reg <= b_next; c_reg <= c_next; d_reg <= d_next;
    e_reg <= e_next; f_reg <= f_next; g_reg <= g_next; h_reg <= h_next;
    w_reg <= w_next;
    pre_reg <= pre_next;
    t1_reg <= t1_next;
    t2_reg <= t2_next;
    hin_reg <= hin_next;
    hout_reg <= hout_next;
    done_reg <= done_next;

    if (rst) begin
        busy_reg <= 1'b0;
        done_reg <= 1'b0;
    end
end

endmodule

`resetall
