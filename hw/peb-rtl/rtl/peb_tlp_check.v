// SPDX-License-Identifier: GPL-2.0
/*
 * expether PEB: streaming check of the TLPs of a TLP frame payload, the
 * rules of ee_tlp_parse() in net/expether/ee_codec.c applied to every TLP
 * back to back, as the I/O bridge must do before it acts on a frame
 * (Documentation/expether/protocol.rst, "TLP frames"):
 *
 * - Fmt/Type must be a carried TLP (MRd, MWr, CfgRd0/1, CfgWr0/1, Cpl,
 *   CplD, Msg, MsgD with a 4 DW header)                    -> TLP_FMT
 * - the payload must hold 4 bytes, then the whole header    -> TRUNC
 * - T9, T8, LN, TH, AT zero; memory requests: byte enables and no 4 KiB
 *   crossing; configuration requests: Length 1, TC 0, Attr 0, Last BE 0
 *                                                           -> FIELD
 * - header, data and digest within the payload              -> TLP_LEN
 *
 * The first error of the frame is kept (err, sticky until start).  The
 * payload arrives as 64-bit words (payload byte 8k + j in bits
 * [8j+7:8j] of word k), two dwords per cycle, at line rate.  Bytes after
 * the header's length are ignored.
 */

// Language: Verilog 2001

`resetall
`timescale 1ns / 1ps
`default_nettype none

module peb_tlp_check
(
    input  wire        clk,
    input  wire        rst,

    // a new payload of `length` bytes begins (clears err)
    input  wire        start,
    input  wire [10:0] length,

    // payload words, in order
    input  wire        in_valid,
    input  wire [63:0] in_data,

    // first error (enum ee_err codes), 0 while the payload is good
    output wire [3:0]  err
);

localparam [3:0]
    ERR_TRUNC = 4'd1,
    ERR_FIELD = 4'd7,
    ERR_TLP_FMT = 4'd8,
    ERR_TLP_LEN = 4'd9;

reg [11:0] rem_reg, rem_next;      // payload bytes from this word on
reg [10:0] left_reg, left_next;    // dwords of the current TLP still to come
reg [2:0] idx_reg, idx_next;       // dword index in the TLP (1..3; 4: past the header)
reg hlen4_reg, hlen4_next;         // 4 DW header
reg shrt_reg, shrt_next;           // the TLP does not fit the payload
reg kmem_reg, kmem_next;           // memory request
reg kcfg_reg, kcfg_next;           // configuration request
reg [31:0] h0_reg, h0_next;        // header dwords, big-endian values
reg [31:0] h1_reg, h1_next;
reg [3:0] err_reg, err_next;

assign err = err_reg;

// the big-endian value of the dword whose first byte is in bits [7:0]
function [31:0] be32;
    input [31:0] w;
    begin
        be32 = {w[7:0], w[15:8], w[23:16], w[31:24]};
    end
endfunction

// bit 0: a carried TLP; bit 1: memory; bit 2: configuration
function [2:0] kind_of;
    input [2:0] fmt;
    input [4:0] typ;
    begin
        kind_of = 3'b000;
        if (typ[4:3] == 2'b10) begin
            if (fmt == 3'd1 || fmt == 3'd3) kind_of = 3'b001;
        end else begin
            case (typ)
                5'h00: if (fmt[2] == 1'b0) kind_of = 3'b011;
                5'h04, 5'h05: if (fmt == 3'd0 || fmt == 3'd2) kind_of = 3'b101;
                5'h0a: if (fmt == 3'd0 || fmt == 3'd2) kind_of = 3'b001;
                default: kind_of = 3'b000;
            endcase
        end
    end
endfunction

integer lane;
reg [31:0] dw;
reg [11:0] avail;
reg [2:0] kind;
reg [10:0] len_dw;
reg [10:0] data_dw;
reg [10:0] need_dw;
reg [12:0] need_bytes;
reg [12:0] span;
reg bad;
reg [10:0] mlen;

always @* begin
    rem_next = rem_reg;
    left_next = left_reg;
    idx_next = idx_reg;
    hlen4_next = hlen4_reg;
    shrt_next = shrt_reg;
    kmem_next = kmem_reg;
    kcfg_next = kcfg_reg;
    h0_next = h0_reg;
    h1_next = h1_reg;
    err_next = err_reg;
    dw = 32'd0;
    avail = 12'd0;
    kind = 3'd0;
    len_dw = 11'd0;
    data_dw = 11'd0;
    need_dw = 11'd0;
    need_bytes = 13'd0;
    span = 13'd0;
    bad = 1'b0;
    mlen = 11'd0;

    if (start) begin
        rem_next = {1'b0, length};
        left_next = 11'd0;
        idx_next = 3'd0;
        shrt_next = 1'b0;
        err_next = 4'd0;
    end else if (in_valid) begin
        for (lane = 0; lane < 2; lane = lane + 1) begin
            dw = be32(in_data[lane*32 +: 32]);
            avail = (rem_reg > 12'd4 * lane[11:0]) ? rem_reg - 12'd4 * lane[11:0] : 12'd0;
            if (err_next == 4'd0 && avail != 12'd0) begin
                if (left_next == 11'd0) begin
                    // dword 0 of a TLP
                    kind = kind_of(dw[31:29], dw[28:24]);
                    len_dw = (dw[9:0] == 10'd0) ? 11'd1024 : {1'b0, dw[9:0]};
                    data_dw = dw[30] ? len_dw : 11'd0;
                    need_dw = (dw[29] ? 11'd4 : 11'd3) + data_dw + {10'd0, dw[15]};
                    need_bytes = {need_dw, 2'b00};
                    if (avail < 12'd4) begin
                        err_next = ERR_TRUNC;
                    end else if (!kind[0]) begin
                        err_next = ERR_TLP_FMT;
                    end else if (avail < (dw[29] ? 12'd16 : 12'd12)) begin
                        err_next = ERR_TRUNC;
                    end else begin
                        h0_next = dw;
                        hlen4_next = dw[29];
                        kmem_next = kind[1];
                        kcfg_next = kind[2];
                        shrt_next = {1'b0, avail} < need_bytes;
                        left_next = need_dw - 11'd1;
                        idx_next = 3'd1;
                    end
                end else begin
                    if (idx_next == 3'd1) h1_next = dw;
                    if (idx_next == (hlen4_next ? 3'd3 : 3'd2)) begin
                        // the header is complete: its field rules
                        bad = (h0_next[23:16] & 8'h8b) != 8'h00 ||
                              (h0_next[15:8] & 8'h0c) != 8'h00;
                        mlen = (h0_next[9:0] == 10'd0) ? 11'd1024 : {1'b0, h0_next[9:0]};
                        // the address is in the last header dword
                        span = {1'b0, dw[11:2], 2'b00} + {mlen, 2'b00};
                        if (kmem_next) begin
                            if (mlen == 11'd1 && h1_next[7:4] != 4'd0) bad = 1'b1;
                            if (mlen != 11'd1 && (h1_next[3:0] == 4'd0 || h1_next[7:4] == 4'd0)) bad = 1'b1;
                            if (span > 13'h1000) bad = 1'b1;
                        end
                        if (kcfg_next) begin
                            if (h0_next[9:0] != 10'd1 || h0_next[22:20] != 3'd0 ||
                                h0_next[13:12] != 2'd0 || h1_next[7:4] != 4'd0) bad = 1'b1;
                        end
                        if (bad) begin
                            err_next = ERR_FIELD;
                        end else if (shrt_next) begin
                            err_next = ERR_TLP_LEN;
                        end
                    end
                    if (idx_next != 3'd4) idx_next = idx_next + 3'd1;
                    left_next = left_next - 11'd1;
                end
            end
        end
        rem_next = (rem_reg > 12'd8) ? rem_reg - 12'd8 : 12'd0;
    end
end

always @(posedge clk) begin
    rem_reg <= rem_next;
    left_reg <= left_next;
    idx_reg <= idx_next;
    hlen4_reg <= hlen4_next;
    shrt_reg <= shrt_next;
    kmem_reg <= kmem_next;
    kcfg_reg <= kcfg_next;
    h0_reg <= h0_next;
    h1_reg <= h1_next;
    err_reg <= err_next;

    if (rst) begin
        rem_reg <= 12'd0;
        left_reg <= 11'd0;
        idx_reg <= 3'd0;
        shrt_reg <= 1'b0;
        err_reg <= 4'd0;
    end
end

endmodule

`resetall
