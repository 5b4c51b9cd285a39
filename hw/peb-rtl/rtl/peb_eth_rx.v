// SPDX-License-Identifier: GPL-2.0
/*
 * expether PEB: Ethernet receive side.  Parses every frame of the MAC's
 * AXI stream as ee_frame_parse() does (802.1Q tag, EtherType, ExpEther
 * header, lengths), filters by destination MAC and GID, checks the TLPs
 * of TLP frames (peb_tlp_check), and hands on what the bridge acts on:
 *
 * - TLP and ECHO request frames to our MAC in our group: the payload in
 *   the receive buffer (store and forward) plus a descriptor;
 * - ACK frames: a descriptor;
 * - host DIFs of our group (broadcast, role host, well formed): a
 *   descriptor with the host's epoch;
 * - MGMT frames to our MAC in our group: the first 64 payload bytes to the
 *   management block's capture RAM and mgmt_valid.
 *
 * Everything else is dropped and counted as eebox counts it: malformed
 * frames by ee_err code (never answered), wrong GID, buffer overflow, bad
 * FCS (tuser), malformed DIFs.  Foreign EtherTypes and frames to other
 * MACs are not ours and not counted.
 *
 * The payload is realigned on the way in: frame byte 42 (the first
 * payload byte) is stored at bit 0 of buffer word 0.  A frame's verdict
 * is known two cycles after its last beat; frames are processed at line
 * rate, back to back (a frame of one beat right after another is a runt
 * and is dropped uncounted).  s_axis_tready is always 1: the receive side
 * never stalls the MAC, frames that do not fit are dropped (Go-Back-N
 * recovers).
 */

// Language: Verilog 2001

`resetall
`timescale 1ns / 1ps
`default_nettype none

module peb_eth_rx #
(
    // receive buffer of 2^BUF_ADDR_WIDTH 64-bit words
    parameter BUF_ADDR_WIDTH = 10,
    // descriptor FIFO of 2^DESC_ADDR_WIDTH (+1) entries
    parameter DESC_ADDR_WIDTH = 3
)
(
    input  wire                      clk,
    input  wire                      rst,

    /*
     * Configuration
     */
    input  wire                      cfg_enable,
    input  wire [47:0]               cfg_mac,
    input  wire [11:0]               cfg_gid,
    input  wire [15:0]               cfg_ethertype,

    /*
     * Ethernet frames from the MAC (no FCS; tuser: bad frame)
     */
    input  wire [63:0]               s_axis_tdata,
    input  wire [7:0]                s_axis_tkeep,
    input  wire                      s_axis_tvalid,
    output wire                      s_axis_tready,
    input  wire                      s_axis_tlast,
    input  wire                      s_axis_tuser,

    /*
     * Receive buffer write port; buf_rd_ptr is the oldest word the
     * consumer still holds (with a wrap bit)
     */
    output wire                      buf_wr_en,
    output wire [BUF_ADDR_WIDTH-1:0] buf_wr_addr,
    output wire [63:0]               buf_wr_data,
    input  wire [BUF_ADDR_WIDTH:0]   buf_rd_ptr,

    /*
     * Descriptors of accepted frames
     */
    output wire                      desc_valid,
    input  wire                      desc_ready,
    output wire [1:0]                desc_kind,   // 0 TLP, 1 ACK, 2 host DIF, 3 ECHO request
    output wire [5:0]                desc_flags,
    output wire [10:0]               desc_len,
    output wire [31:0]               desc_seq,    // host DIF: the host's epoch
    output wire [31:0]               desc_ack,
    output wire [31:0]               desc_tsval,
    output wire [31:0]               desc_tsecr,
    output wire [47:0]               desc_src,
    output wire [BUF_ADDR_WIDTH-1:0] desc_ptr,    // first payload word

    /*
     * MGMT frames: payload words 0..7 to the capture RAM, then mgmt_valid
     */
    output wire                      mgmt_wr_en,
    output wire [2:0]                mgmt_wr_addr,
    output wire [63:0]               mgmt_wr_data,
    output wire                      mgmt_valid,
    input  wire                      mgmt_busy,

    /*
     * Statistics (one-cycle pulses)
     */
    output wire                      stat_frame,      // our EtherType to our MAC
    output wire                      stat_malformed,  // with stat_err
    output wire [3:0]                stat_err,
    output wire                      stat_wrong_gid,
    output wire                      stat_overflow,
    output wire                      stat_bad_fcs,
    output wire                      stat_bad_dif,
    output wire                      stat_ignored     // ours, but not served (DIF, ECHO reply)
);

localparam [3:0]
    ERR_TRUNC = 4'd1,
    ERR_NOTAG = 4'd2,
    ERR_ETHERTYPE = 4'd3,
    ERR_VERSION = 4'd4,
    ERR_TYPE = 4'd5,
    ERR_LENGTH = 4'd6,
    ERR_FIELD = 4'd7;

localparam [7:0]
    FT_TLP = 8'd1,
    FT_ACK = 8'd2,
    FT_DIF = 8'd3,
    FT_MGMT = 8'd4,
    FT_ECHO_REQ = 8'd5,
    FT_ECHO_REPLY = 8'd6;

localparam [1:0]
    KIND_TLP = 2'd0,
    KIND_ACK = 2'd1,
    KIND_DIF = 2'd2,
    KIND_ECHO = 2'd3;

localparam DESC_WIDTH = 2 + 6 + 11 + 32*4 + 48 + BUF_ADDR_WIDTH;
localparam [BUF_ADDR_WIDTH:0] BUF_WORDS = {1'b1, {BUF_ADDR_WIDTH{1'b0}}};

// ---- per-beat parser state ----
reg [7:0] beat_reg, beat_next;          // index of the next beat of the frame
reg [63:0] prev_reg, prev_next;         // the previous beat
reg ours_reg, ours_next;                // DA is our MAC
reg bcast_reg, bcast_next;              // DA is broadcast
reg [47:0] sa_reg, sa_next;
reg [15:0] tpid_reg, tpid_next;
reg [15:0] tci_reg, tci_next;
reg [15:0] etype_reg, etype_next;
reg [7:0] ver_reg, ver_next;
reg [7:0] type_reg, type_next;
reg [15:0] flags_reg, flags_next;
reg [15:0] len_reg, len_next;
reg [31:0] seq_reg, seq_next;
reg [31:0] ack_reg, ack_next;
reg [31:0] tsval_reg, tsval_next;
reg [31:0] tsecr_reg, tsecr_next;
reg [7:0] words_reg, words_next;        // payload words of interest
reg [7:0] k_reg, k_next;                // payload words produced
reg store_reg, store_next;              // payload goes to the buffer
reg capm_reg, capm_next;                // payload goes to the MGMT capture RAM

// ---- payload word fields ----
reg [7:0] dif_role_reg, dif_role_next;
reg dif_ival_reg, dif_ival_next;        // interval non-zero
reg [47:0] dif_mac_reg, dif_mac_next;
reg [15:0] dif_gid_reg, dif_gid_next;
reg [31:0] dif_epoch_reg, dif_epoch_next;
reg [7:0] mgmt_op_reg, mgmt_op_next;
reg [15:0] mgmt_gid_reg, mgmt_gid_next;

// ---- receive buffer pointers ----
reg [BUF_ADDR_WIDTH:0] wr_ptr_reg, wr_ptr_next;     // speculative
reg [BUF_ADDR_WIDTH:0] commit_ptr_reg, commit_ptr_next;

// ---- frame end pipeline ----
reg fin1_reg, fin1_next;
reg fin1_ignore_reg, fin1_ignore_next;
reg fin1_ours_reg, fin1_ours_next;
reg fin1_fcs_reg, fin1_fcs_next;
reg [3:0] fin1_err_reg, fin1_err_next;
reg fin1_vid_ok_reg, fin1_vid_ok_next;
reg fin1_flush_reg, fin1_flush_next;
reg [7:0] fin1_type_reg, fin1_type_next;
reg fin1_store_reg, fin1_store_next;
reg fin1_capm_reg, fin1_capm_next;
reg fin2_reg, fin2_next;
reg fin2_ignore_reg, fin2_ignore_next;
reg fin2_ours_reg, fin2_ours_next;
reg fin2_fcs_reg, fin2_fcs_next;
reg [3:0] fin2_err_reg, fin2_err_next;
reg fin2_vid_ok_reg, fin2_vid_ok_next;
reg [7:0] fin2_type_reg, fin2_type_next;
reg fin2_store_reg, fin2_store_next;
reg fin2_capm_reg, fin2_capm_next;

// descriptor of the frame being finished
reg [5:0] d_flags_reg, d_flags_next;
reg [10:0] d_len_reg, d_len_next;
reg [31:0] d_seq_reg, d_seq_next;
reg [31:0] d_ack_reg, d_ack_next;
reg [31:0] d_tsval_reg, d_tsval_next;
reg [31:0] d_tsecr_reg, d_tsecr_next;
reg [47:0] d_src_reg, d_src_next;
reg [11:0] d_vid_reg, d_vid_next;
reg [BUF_ADDR_WIDTH-1:0] d_ptr_reg, d_ptr_next;

// ---- outputs ----
reg buf_wr_en_int;
reg [63:0] word_data;
reg word_valid;
reg desc_push;
reg [1:0] desc_push_kind;
reg [31:0] desc_push_seq;
reg mgmt_wr_en_int;
reg mgmt_valid_reg, mgmt_valid_next;
reg stat_frame_reg, stat_frame_next;
reg stat_malformed_reg, stat_malformed_next;
reg [3:0] stat_err_reg, stat_err_next;
reg stat_wrong_gid_reg, stat_wrong_gid_next;
reg stat_overflow_reg, stat_overflow_next;
reg stat_bad_fcs_reg, stat_bad_fcs_next;
reg stat_bad_dif_reg, stat_bad_dif_next;
reg stat_ignored_reg, stat_ignored_next;

wire desc_in_ready;
wire [DESC_WIDTH-1:0] desc_out;
wire [3:0] tlp_err;
wire tlp_start;
wire [DESC_ADDR_WIDTH+1:0] desc_count_unused;

assign s_axis_tready = 1'b1;

assign buf_wr_en = buf_wr_en_int;
assign buf_wr_addr = wr_ptr_reg[BUF_ADDR_WIDTH-1:0];
assign buf_wr_data = word_data;

assign mgmt_wr_en = mgmt_wr_en_int;
assign mgmt_wr_addr = k_reg[2:0];
assign mgmt_wr_data = word_data;
assign mgmt_valid = mgmt_valid_reg;

assign stat_frame = stat_frame_reg;
assign stat_malformed = stat_malformed_reg;
assign stat_err = stat_err_reg;
assign stat_wrong_gid = stat_wrong_gid_reg;
assign stat_overflow = stat_overflow_reg;
assign stat_bad_fcs = stat_bad_fcs_reg;
assign stat_bad_dif = stat_bad_dif_reg;
assign stat_ignored = stat_ignored_reg;

assign {desc_kind, desc_flags, desc_len, desc_seq, desc_ack, desc_tsval,
        desc_tsecr, desc_src, desc_ptr} = desc_out;

function [3:0] popcount8;
    input [7:0] v;
    integer j;
    begin
        popcount8 = 4'd0;
        for (j = 0; j < 8; j = j + 1) begin
            popcount8 = popcount8 + {3'd0, v[j]};
        end
    end
endfunction

function gid_ok;
    input [11:0] g;
    begin
        gid_ok = g != 12'h000 && g != 12'hfff;
    end
endfunction

// smallest payload of a frame type (ee_hdr_parse)
function [15:0] min_len;
    input [7:0] t;
    begin
        case (t)
            FT_TLP: min_len = 16'd12;
            FT_DIF: min_len = 16'd36;
            FT_MGMT: min_len = 16'd60;
            default: min_len = 16'd0;
        endcase
    end
endfunction

wire [63:0] t = s_axis_tdata;
wire beat = s_axis_tvalid;

reg [11:0] frame_bytes;
reg [3:0] hdr_err;
reg [BUF_ADDR_WIDTH:0] used_words;
reg [BUF_ADDR_WIDTH:0] free_words;
reg [15:0] len_words;
reg candidate;

always @* begin
    beat_next = beat_reg;
    prev_next = prev_reg;
    ours_next = ours_reg;
    bcast_next = bcast_reg;
    sa_next = sa_reg;
    tpid_next = tpid_reg;
    tci_next = tci_reg;
    etype_next = etype_reg;
    ver_next = ver_reg;
    type_next = type_reg;
    flags_next = flags_reg;
    len_next = len_reg;
    seq_next = seq_reg;
    ack_next = ack_reg;
    tsval_next = tsval_reg;
    tsecr_next = tsecr_reg;
    words_next = words_reg;
    k_next = k_reg;
    store_next = store_reg;
    capm_next = capm_reg;
    dif_role_next = dif_role_reg;
    dif_ival_next = dif_ival_reg;
    dif_mac_next = dif_mac_reg;
    dif_gid_next = dif_gid_reg;
    dif_epoch_next = dif_epoch_reg;
    mgmt_op_next = mgmt_op_reg;
    mgmt_gid_next = mgmt_gid_reg;
    wr_ptr_next = wr_ptr_reg;
    commit_ptr_next = commit_ptr_reg;
    fin1_next = 1'b0;
    fin1_ignore_next = fin1_ignore_reg;
    fin1_ours_next = fin1_ours_reg;
    fin1_fcs_next = fin1_fcs_reg;
    fin1_err_next = fin1_err_reg;
    fin1_vid_ok_next = fin1_vid_ok_reg;
    fin1_flush_next = fin1_flush_reg;
    fin1_type_next = fin1_type_reg;
    fin1_store_next = fin1_store_reg;
    fin1_capm_next = fin1_capm_reg;
    fin2_next = fin1_reg;
    fin2_ignore_next = fin1_ignore_reg;
    fin2_ours_next = fin1_ours_reg;
    fin2_fcs_next = fin1_fcs_reg;
    fin2_err_next = fin1_err_reg;
    fin2_vid_ok_next = fin1_vid_ok_reg;
    fin2_type_next = fin1_type_reg;
    fin2_store_next = fin1_store_reg;
    fin2_capm_next = fin1_capm_reg;
    d_flags_next = d_flags_reg;
    d_len_next = d_len_reg;
    d_seq_next = d_seq_reg;
    d_ack_next = d_ack_reg;
    d_tsval_next = d_tsval_reg;
    d_tsecr_next = d_tsecr_reg;
    d_src_next = d_src_reg;
    d_vid_next = d_vid_reg;
    d_ptr_next = d_ptr_reg;

    buf_wr_en_int = 1'b0;
    word_data = 64'd0;
    word_valid = 1'b0;
    desc_push = 1'b0;
    desc_push_kind = KIND_TLP;
    desc_push_seq = d_seq_reg;
    mgmt_wr_en_int = 1'b0;
    mgmt_valid_next = 1'b0;
    stat_frame_next = 1'b0;
    stat_malformed_next = 1'b0;
    stat_err_next = 4'd0;
    stat_wrong_gid_next = 1'b0;
    stat_overflow_next = 1'b0;
    stat_bad_fcs_next = 1'b0;
    stat_bad_dif_next = 1'b0;
    stat_ignored_next = 1'b0;

    frame_bytes = 12'd0;
    hdr_err = 4'd0;
    used_words = wr_ptr_reg - buf_rd_ptr;
    free_words = BUF_WORDS - used_words;
    len_words = 16'd0;
    candidate = 1'b0;

    // ---- capture the header fields, beat by beat ----
    if (beat) begin
        prev_next = t;
        if (beat_reg != 8'hff) begin
            beat_next = beat_reg + 8'd1;
        end
        case (beat_reg)
            8'd0: begin
                ours_next = cfg_enable && {t[7:0], t[15:8], t[23:16], t[31:24], t[39:32], t[47:40]} == cfg_mac;
                bcast_next = cfg_enable && t[47:0] == 48'hffffffffffff;
                sa_next[47:32] = {t[55:48], t[63:56]};
                store_next = 1'b0;
                capm_next = 1'b0;
                words_next = 8'd0;
                k_next = 8'd0;
            end
            8'd1: begin
                sa_next[31:0] = {t[7:0], t[15:8], t[23:16], t[31:24]};
                tpid_next = {t[39:32], t[47:40]};
                tci_next = {t[55:48], t[63:56]};
            end
            8'd2: begin
                etype_next = {t[7:0], t[15:8]};
                ver_next = t[23:16];
                type_next = t[31:24];
                flags_next = {t[39:32], t[47:40]};
                len_next = {t[55:48], t[63:56]};
                // payload words needed, and where they go
                len_words = len_next + 16'd7;
                if (len_next <= 16'd1476) begin
                    words_next = len_words[10:3];
                end
                store_next = ours_reg && len_next <= 16'd1476 &&
                             (type_next == FT_TLP || type_next == FT_ECHO_REQ) &&
                             {{BUF_ADDR_WIDTH-7{1'b0}}, words_next} <= free_words;
                capm_next = ours_reg && type_next == FT_MGMT && !mgmt_busy;
            end
            8'd3: begin
                seq_next = {t[23:16], t[31:24], t[39:32], t[47:40]};
                ack_next[31:16] = {t[55:48], t[63:56]};
            end
            8'd4: begin
                ack_next[15:0] = {t[7:0], t[15:8]};
                tsval_next = {t[23:16], t[31:24], t[39:32], t[47:40]};
                tsecr_next[31:16] = {t[55:48], t[63:56]};
            end
            8'd5: begin
                tsecr_next[15:0] = {t[7:0], t[15:8]};
            end
            default: begin
            end
        endcase

        // payload word k = frame bytes 42 + 8k .. 49 + 8k
        if (beat_reg >= 8'd6 && k_reg < words_reg) begin
            word_valid = 1'b1;
            word_data = {t[15:0], prev_reg[63:16]};
        end

        if (s_axis_tlast) begin
            beat_next = 8'd0;
            frame_bytes = {1'b0, beat_reg, 3'd0} + {8'd0, popcount8(s_axis_tkeep)};
            if (frame_bytes < 12'd14) begin
                hdr_err = ERR_TRUNC;
            end else if (tpid_next != 16'h8100) begin
                hdr_err = (tpid_next == cfg_ethertype) ? ERR_NOTAG : ERR_ETHERTYPE;
            end else if (frame_bytes < 12'd18) begin
                hdr_err = ERR_TRUNC;
            end else if (etype_next != cfg_ethertype) begin
                hdr_err = ERR_ETHERTYPE;
            end else if (!gid_ok(tci_next[11:0])) begin
                hdr_err = ERR_FIELD;
            end else if (frame_bytes < 12'd42) begin
                hdr_err = ERR_TRUNC;
            end else if (ver_next != 8'd1) begin
                hdr_err = ERR_VERSION;
            end else if (type_next < FT_TLP || type_next > FT_ECHO_REPLY) begin
                hdr_err = ERR_TYPE;
            end else if (len_next > {4'd0, frame_bytes - 12'd42} || len_next > 16'd1476 ||
                         len_next < min_len(type_next) ||
                         (type_next == FT_ACK && len_next != 16'd0)) begin
                hdr_err = ERR_LENGTH;
            end

            fin1_next = 1'b1;
            fin1_ignore_next = !(ours_next || bcast_next) || frame_bytes < 12'd6 ||
                               hdr_err == ERR_ETHERTYPE || fin1_reg;
            fin1_ours_next = ours_next;
            fin1_fcs_next = s_axis_tuser;
            fin1_err_next = hdr_err;
            fin1_vid_ok_next = tci_next[11:0] == cfg_gid;
            fin1_type_next = type_next;
            fin1_flush_next = beat_reg >= 8'd5 && k_reg + {7'd0, word_valid} < words_next;
            fin1_store_next = store_next;
            fin1_capm_next = capm_next;

            // the descriptor, for frames that may be queued
            candidate = hdr_err == 4'd0 && !s_axis_tuser && !fin1_reg;
            if (candidate) begin
                d_flags_next = flags_next[5:0];
                d_len_next = len_next[10:0];
                d_seq_next = seq_next;
                d_ack_next = ack_next;
                d_tsval_next = tsval_next;
                d_tsecr_next = tsecr_next;
                d_src_next = sa_next;
                d_vid_next = tci_next[11:0];
                d_ptr_next = commit_ptr_reg[BUF_ADDR_WIDTH-1:0];
            end
        end
    end

    // the last payload word, when its upper bytes lie past the frame
    if (fin1_reg && fin1_flush_reg) begin
        word_valid = 1'b1;
        word_data = {16'd0, prev_reg[63:16]};
    end

    // ---- payload words: buffer, checker, DIF and MGMT fields ----
    if (word_valid) begin
        // (a flush may coincide with the next frame's first beat)
        if (!(beat && beat_reg == 8'd0)) begin
            k_next = k_reg + 8'd1;
        end
        if (store_reg) begin
            buf_wr_en_int = 1'b1;
            wr_ptr_next = wr_ptr_reg + 1'b1;
        end
        if (capm_reg && k_reg < 8'd8) begin
            mgmt_wr_en_int = 1'b1;
        end
        case (k_reg)
            8'd0: begin
                dif_role_next = word_data[7:0];
                dif_ival_next = word_data[31:16] != 16'd0;
                dif_mac_next[47:16] = {word_data[39:32], word_data[47:40], word_data[55:48], word_data[63:56]};
                mgmt_op_next = word_data[7:0];
                mgmt_gid_next = {word_data[23:16], word_data[31:24]};
            end
            8'd1: begin
                dif_mac_next[15:0] = {word_data[7:0], word_data[15:8]};
                dif_gid_next = {word_data[23:16], word_data[31:24]};
            end
            8'd2: begin
                dif_epoch_next = {word_data[39:32], word_data[47:40], word_data[55:48], word_data[63:56]};
            end
            default: begin
            end
        endcase
    end

    // ---- verdict, two cycles after the last beat ----
    if (fin2_reg) begin
        if (fin2_ignore_reg) begin
            // not ours
        end else if (fin2_fcs_reg) begin
            stat_bad_fcs_next = 1'b1;
        end else if (fin2_ours_reg) begin
            stat_frame_next = 1'b1;
            if (fin2_err_reg != 4'd0) begin
                stat_malformed_next = 1'b1;
                stat_err_next = fin2_err_reg;
            end else if (!fin2_vid_ok_reg) begin
                stat_wrong_gid_next = 1'b1;
            end else begin
                case (fin2_type_reg)
                    FT_TLP: begin
                        if (tlp_err != 4'd0) begin
                            stat_malformed_next = 1'b1;
                            stat_err_next = tlp_err;
                        end else if (!fin2_store_reg || !desc_in_ready) begin
                            stat_overflow_next = 1'b1;
                        end else begin
                            desc_push = 1'b1;
                            desc_push_kind = KIND_TLP;
                        end
                    end
                    FT_ACK: begin
                        if (!desc_in_ready) begin
                            stat_overflow_next = 1'b1;
                        end else begin
                            desc_push = 1'b1;
                            desc_push_kind = KIND_ACK;
                        end
                    end
                    FT_ECHO_REQ: begin
                        if (!fin2_store_reg || !desc_in_ready) begin
                            stat_overflow_next = 1'b1;
                        end else begin
                            desc_push = 1'b1;
                            desc_push_kind = KIND_ECHO;
                        end
                    end
                    FT_MGMT: begin
                        if (mgmt_op_reg != 8'd1 || mgmt_gid_reg[15:12] != 4'd0 ||
                            !gid_ok(mgmt_gid_reg[11:0])) begin
                            stat_malformed_next = 1'b1;
                            stat_err_next = ERR_FIELD;
                        end else if (!fin2_capm_reg) begin
                            stat_overflow_next = 1'b1;
                        end else begin
                            mgmt_valid_next = 1'b1;
                        end
                    end
                    default: begin
                        stat_ignored_next = 1'b1;
                    end
                endcase
            end
        end else if (fin2_err_reg == 4'd0 && fin2_type_reg == FT_DIF) begin
            // broadcast DIF (ee_dif_parse, then box_rx_dif)
            if ((dif_role_reg != 8'd1 && dif_role_reg != 8'd2) || !dif_ival_reg ||
                dif_gid_reg[15:12] != 4'd0 || !gid_ok(dif_gid_reg[11:0]) ||
                dif_gid_reg[11:0] != d_vid_reg || dif_mac_reg != d_src_reg) begin
                stat_bad_dif_next = 1'b1;
            end else if (dif_role_reg == 8'd1 && fin2_vid_ok_reg) begin
                if (!desc_in_ready) begin
                    stat_overflow_next = 1'b1;
                end else begin
                    desc_push = 1'b1;
                    desc_push_kind = KIND_DIF;
                    desc_push_seq = dif_epoch_reg;
                end
            end
        end

        // keep the payload of a queued frame, forget any other
        if (desc_push) begin
            commit_ptr_next = wr_ptr_reg;
        end else begin
            wr_ptr_next = commit_ptr_reg;
        end
    end
end

// the TLP checker starts with the length field (beat 2) of a TLP frame
assign tlp_start = beat && beat_reg == 8'd2;

peb_tlp_check tlp_check_inst (
    .clk(clk),
    .rst(rst),
    .start(tlp_start),
    .length(len_next[10:0]),
    .in_valid(word_valid),
    .in_data(word_data),
    .err(tlp_err)
);

peb_fifo #(
    .WIDTH(DESC_WIDTH),
    .ADDR_WIDTH(DESC_ADDR_WIDTH)
)
desc_fifo_inst (
    .clk(clk),
    .rst(rst),
    .in_data({desc_push_kind, d_flags_reg, d_len_reg, desc_push_seq, d_ack_reg,
              d_tsval_reg, d_tsecr_reg, d_src_reg, d_ptr_reg}),
    .in_valid(desc_push),
    .in_ready(desc_in_ready),
    .out_data(desc_out),
    .out_valid(desc_valid),
    .out_ready(desc_ready),
    .count(desc_count_unused)
);

always @(posedge clk) begin
    beat_reg <= beat_next;
    prev_reg <= prev_next;
    ours_reg <= ours_next;
    bcast_reg <= bcast_next;
    sa_reg <= sa_next;
    tpid_reg <= tpid_next;
    tci_reg <= tci_next;
    etype_reg <= etype_next;
    ver_reg <= ver_next;
    type_reg <= type_next;
    flags_reg <= flags_next;
    len_reg <= len_next;
    seq_reg <= seq_next;
    ack_reg <= ack_next;
    tsval_reg <= tsval_next;
    tsecr_reg <= tsecr_next;
    words_reg <= words_next;
    k_reg <= k_next;
    store_reg <= store_next;
    capm_reg <= capm_next;
    dif_role_reg <= dif_role_next;
    dif_ival_reg <= dif_ival_next;
    dif_mac_reg <= dif_mac_next;
    dif_gid_reg <= dif_gid_next;
    dif_epoch_reg <= dif_epoch_next;
    mgmt_op_reg <= mgmt_op_next;
    mgmt_gid_reg <= mgmt_gid_next;
    wr_ptr_reg <= wr_ptr_next;
    commit_ptr_reg <= commit_ptr_next;
    fin1_reg <= fin1_next;
    fin1_ignore_reg <= fin1_ignore_next;
    fin1_ours_reg <= fin1_ours_next;
    fin1_fcs_reg <= fin1_fcs_next;
    fin1_err_reg <= fin1_err_next;
    fin1_vid_ok_reg <= fin1_vid_ok_next;
    fin1_flush_reg <= fin1_flush_next;
    fin1_type_reg <= fin1_type_next;
    fin1_store_reg <= fin1_store_next;
    fin1_capm_reg <= fin1_capm_next;
    fin2_reg <= fin2_next;
    fin2_ignore_reg <= fin2_ignore_next;
    fin2_ours_reg <= fin2_ours_next;
    fin2_fcs_reg <= fin2_fcs_next;
    fin2_err_reg <= fin2_err_next;
    fin2_vid_ok_reg <= fin2_vid_ok_next;
    fin2_type_reg <= fin2_type_next;
    fin2_store_reg <= fin2_store_next;
    fin2_capm_reg <= fin2_capm_next;
    d_flags_reg <= d_flags_next;
    d_len_reg <= d_len_next;
    d_seq_reg <= d_seq_next;
    d_ack_reg <= d_ack_next;
    d_tsval_reg <= d_tsval_next;
    d_tsecr_reg <= d_tsecr_next;
    d_src_reg <= d_src_next;
    d_vid_reg <= d_vid_next;
    d_ptr_reg <= d_ptr_next;
    mgmt_valid_reg <= mgmt_valid_next;
    stat_frame_reg <= stat_frame_next;
    stat_malformed_reg <= stat_malformed_next;
    stat_err_reg <= stat_err_next;
    stat_wrong_gid_reg <= stat_wrong_gid_next;
    stat_overflow_reg <= stat_overflow_next;
    stat_bad_fcs_reg <= stat_bad_fcs_next;
    stat_bad_dif_reg <= stat_bad_dif_next;
    stat_ignored_reg <= stat_ignored_next;

    if (rst) begin
        beat_reg <= 8'd0;
        store_reg <= 1'b0;
        capm_reg <= 1'b0;
        words_reg <= 8'd0;
        k_reg <= 8'd0;
        wr_ptr_reg <= {BUF_ADDR_WIDTH+1{1'b0}};
        commit_ptr_reg <= {BUF_ADDR_WIDTH+1{1'b0}};
        fin1_reg <= 1'b0;
        fin2_reg <= 1'b0;
        mgmt_valid_reg <= 1'b0;
        stat_frame_reg <= 1'b0;
        stat_malformed_reg <= 1'b0;
        stat_wrong_gid_reg <= 1'b0;
        stat_overflow_reg <= 1'b0;
        stat_bad_fcs_reg <= 1'b0;
        stat_bad_dif_reg <= 1'b0;
        stat_ignored_reg <= 1'b0;
    end
end

wire _unused_ok = &{1'b0, len_words[15:11], len_words[2:0], etype_reg, ver_reg,
                    flags_reg[15:6], tpid_reg, tci_reg[15:12], desc_count_unused};

endmodule

`resetall
