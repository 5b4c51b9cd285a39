// SPDX-License-Identifier: GPL-2.0
/*
 * expether PEB: Ethernet transmit side.  Chooses the next frame, has
 * peb_gbn fill its transport fields, and streams it to the MAC at one
 * 64-bit beat per cycle, padded to 60 bytes (the MAC adds the FCS):
 *
 *   1. a DIF when one is due (broadcast, role I/O bridge, from the CSRs);
 *   2. an ECHO reply (the request's payload, read back from the receive
 *      buffer);
 *   3. a retransmission, 4. a new TLP frame, 5. a pure ACK (or probe
 *      echo) -- the order of ee_link_next(), without rate probes or
 *      pacing.
 *
 * TLP frames carry the slot of their sequence number in the retransmit
 * ring (payload = one TLP, written by peb_encap).  Payload words are read
 * ahead into a small FIFO during the 42 header bytes, so a frame never
 * stalls once started (unless the MAC deasserts tready).  Between frames
 * there is one idle cycle, plus whatever peb_gbn needs to finish a
 * receive operation.
 */

// Language: Verilog 2001

`resetall
`timescale 1ns / 1ps
`default_nettype none

module peb_eth_tx #
(
    parameter SLOT_ADDR_WIDTH = 6,
    parameter SLOT_WORD_WIDTH = 8,
    parameter BUF_ADDR_WIDTH = 10
)
(
    input  wire                      clk,
    input  wire                      rst,

    /*
     * Configuration and identity
     */
    input  wire                      cfg_enable,
    input  wire [47:0]               cfg_mac,
    input  wire [11:0]               cfg_gid,
    input  wire [15:0]               cfg_ethertype,
    input  wire [15:0]               cfg_dif_interval_ms,
    input  wire                      cfg_dif_present,
    input  wire [63:0]               cfg_bridge_id,
    input  wire [31:0]               cfg_epoch,
    input  wire [31:0]               cfg_dev_id,       // vendor << 16 | device
    input  wire [31:0]               cfg_class_rev,
    input  wire [31:0]               cfg_subsys,       // subsystem vendor << 16 | id
    input  wire [47:0]               host_mac,

    /*
     * Requests
     */
    input  wire                      dif_req,
    output wire                      dif_sent,
    input  wire                      echo_req,
    input  wire [BUF_ADDR_WIDTH-1:0] echo_ptr,
    input  wire [10:0]               echo_len,
    input  wire [47:0]               echo_dst,
    output wire                      echo_done,

    /*
     * Go-Back-N (peb_gbn)
     */
    input  wire                      gbn_open,
    input  wire                      gbn_rtx_pending,
    input  wire [31:0]               gbn_rtx_seq,
    input  wire                      gbn_new_pending,
    input  wire [31:0]               gbn_snd_nxt,
    input  wire                      gbn_ack_due,
    output wire                      gbn_tx_valid,
    output wire [1:0]                gbn_tx_op,
    input  wire                      gbn_tx_ready,
    input  wire [5:0]                gbn_tx_flags,
    input  wire [31:0]               gbn_tx_seq,
    input  wire [31:0]               gbn_tx_ack,
    input  wire [31:0]               gbn_tx_tsval,
    input  wire [31:0]               gbn_tx_tsecr,

    /*
     * Retransmit ring read port (one cycle latency) and slot lengths
     */
    output wire                      ring_rd_en,
    output wire [SLOT_ADDR_WIDTH+SLOT_WORD_WIDTH-1:0] ring_rd_addr,
    input  wire [63:0]               ring_rd_data,
    output wire [SLOT_ADDR_WIDTH-1:0] len_rd_addr,
    input  wire [10:0]               len_rd_data,

    /*
     * Receive buffer read port, for ECHO replies (one cycle latency)
     */
    output wire                      rxb_rd_en,
    output wire [BUF_ADDR_WIDTH-1:0] rxb_rd_addr,
    input  wire [63:0]               rxb_rd_data,

    /*
     * Ethernet frames to the MAC
     */
    output wire [63:0]               m_axis_tdata,
    output wire [7:0]                m_axis_tkeep,
    output wire                      m_axis_tvalid,
    input  wire                      m_axis_tready,
    output wire                      m_axis_tlast,
    output wire                      m_axis_tuser,

    /*
     * Status
     */
    output wire                      busy,
    output wire                      stat_frame,
    output wire                      stat_dif,
    output wire                      stat_echo
);

localparam SAW = SLOT_ADDR_WIDTH;
localparam WAW = SLOT_WORD_WIDTH;

localparam [1:0]
    SRC_RING = 2'd0,
    SRC_RXB = 2'd1,
    SRC_DIF = 2'd2;

localparam [1:0]
    OP_NEW = 2'd0,
    OP_RTX = 2'd1,
    OP_ACK = 2'd2;

reg active_reg, active_next;
reg [7:0] beat_reg, beat_next;          // next beat to produce
reg [7:0] nbeats_reg, nbeats_next;      // beats in the frame
reg [47:0] f_da_reg, f_da_next;
reg [11:0] f_gid_reg, f_gid_next;
reg [7:0] f_type_reg, f_type_next;
reg [5:0] f_flags_reg, f_flags_next;
reg [10:0] f_len_reg, f_len_next;
reg [31:0] f_seq_reg, f_seq_next;
reg [31:0] f_ack_reg, f_ack_next;
reg [31:0] f_tsval_reg, f_tsval_next;
reg [31:0] f_tsecr_reg, f_tsecr_next;
reg [15:0] prev_hi_reg, prev_hi_next;   // bytes 6-7 of the last payload word

// reader
reg [1:0] src_reg, src_next;
reg [SAW-1:0] slot_reg, slot_next;
reg [BUF_ADDR_WIDTH-1:0] rptr_reg, rptr_next;
reg [7:0] rword_reg, rword_next;        // next word to read
reg [7:0] rleft_reg, rleft_next;        // words still to read
reg [7:0] pword_reg, pword_next;        // payload words in the frame
reg rd_inflight_reg;
reg [1:0] rd_src_reg;
reg [63:0] dif_word_reg;
reg echo_pending_reg, echo_pending_next;  // an echo frame still reads the buffer

reg [63:0] tdata_reg, tdata_next;
reg [7:0] tkeep_reg, tkeep_next;
reg tvalid_reg, tvalid_next;
reg tlast_reg, tlast_next;

reg rd_en;
reg pop;
reg dif_sent_reg, dif_sent_next;
reg echo_done_reg, echo_done_next;
reg stat_frame_reg, stat_frame_next;
reg stat_dif_reg, stat_dif_next;
reg stat_echo_reg, stat_echo_next;

wire [63:0] fifo_data;
wire fifo_valid;
wire [3:0] fifo_count;
wire fifo_in_ready;
wire [63:0] rd_data = (rd_src_reg == SRC_RING) ? ring_rd_data :
                      (rd_src_reg == SRC_RXB) ? rxb_rd_data : dif_word_reg;

// the transport's turn: nothing of higher priority waits (kept apart from
// the process below, which takes the fields peb_gbn computes from it)
wire dif_turn = cfg_enable && dif_req;
wire echo_turn = cfg_enable && echo_req && !echo_pending_reg;
wire gbn_valid = !active_reg && !dif_turn && !echo_turn && cfg_enable && gbn_open &&
                 (gbn_rtx_pending || gbn_new_pending || gbn_ack_due);
wire [1:0] gbn_op = gbn_rtx_pending ? OP_RTX : gbn_new_pending ? OP_NEW : OP_ACK;

assign gbn_tx_valid = gbn_valid;
assign gbn_tx_op = gbn_op;
assign ring_rd_en = rd_en && src_reg == SRC_RING;
wire [WAW+7:0] rword_ext = {{WAW{1'b0}}, rword_reg};
assign ring_rd_addr = {slot_reg, rword_ext[WAW-1:0]};
assign len_rd_addr = gbn_rtx_pending ? gbn_rtx_seq[SAW-1:0] : gbn_snd_nxt[SAW-1:0];
assign rxb_rd_en = rd_en && src_reg == SRC_RXB;
assign rxb_rd_addr = rptr_reg;
assign m_axis_tdata = tdata_reg;
assign m_axis_tkeep = tkeep_reg;
assign m_axis_tvalid = tvalid_reg;
assign m_axis_tlast = tlast_reg;
assign m_axis_tuser = 1'b0;
assign busy = active_reg;
assign dif_sent = dif_sent_reg;
assign echo_done = echo_done_reg;
assign stat_frame = stat_frame_reg;
assign stat_dif = stat_dif_reg;
assign stat_echo = stat_echo_reg;

peb_fifo #(
    .WIDTH(64),
    .ADDR_WIDTH(2)
)
prefetch_inst (
    .clk(clk),
    .rst(rst),
    .in_data(rd_data),
    .in_valid(rd_inflight_reg),
    .in_ready(fifo_in_ready),
    .out_data(fifo_data),
    .out_valid(fifo_valid),
    .out_ready(pop),
    .count(fifo_count)
);

// DIF payload (ee_dif_put), byte p of the payload in bits [8p+7:8p]
wire [319:0] dif_vec = {
    32'd0,
    cfg_subsys[7:0], cfg_subsys[15:8], cfg_subsys[23:16], cfg_subsys[31:24],
    cfg_class_rev[7:0], cfg_class_rev[15:8], cfg_class_rev[23:16], cfg_class_rev[31:24],
    cfg_dev_id[7:0], cfg_dev_id[15:8], cfg_dev_id[23:16], cfg_dev_id[31:24],
    cfg_epoch[7:0], cfg_epoch[15:8], cfg_epoch[23:16], cfg_epoch[31:24],
    cfg_bridge_id[7:0], cfg_bridge_id[15:8], cfg_bridge_id[23:16], cfg_bridge_id[31:24],
    cfg_bridge_id[39:32], cfg_bridge_id[47:40], cfg_bridge_id[55:48], cfg_bridge_id[63:56],
    cfg_gid[7:0], 4'd0, cfg_gid[11:8],
    cfg_mac[7:0], cfg_mac[15:8], cfg_mac[23:16], cfg_mac[31:24], cfg_mac[39:32], cfg_mac[47:40],
    cfg_dif_interval_ms[7:0], cfg_dif_interval_ms[15:8],
    7'd0, cfg_dif_present,
    8'd2
};

// the 42 header bytes (and 6 unused), byte b in bits [8b+7:8b]
wire [383:0] hdr_vec = {
    48'd0,
    f_tsecr_reg[7:0], f_tsecr_reg[15:8], f_tsecr_reg[23:16], f_tsecr_reg[31:24],
    f_tsval_reg[7:0], f_tsval_reg[15:8], f_tsval_reg[23:16], f_tsval_reg[31:24],
    f_ack_reg[7:0], f_ack_reg[15:8], f_ack_reg[23:16], f_ack_reg[31:24],
    f_seq_reg[7:0], f_seq_reg[15:8], f_seq_reg[23:16], f_seq_reg[31:24],
    16'd0,
    f_len_reg[7:0], 5'd0, f_len_reg[10:8],
    2'd0, f_flags_reg, 8'd0,
    f_type_reg, 8'd1,
    cfg_ethertype[7:0], cfg_ethertype[15:8],
    f_gid_reg[7:0], 4'd0, f_gid_reg[11:8],
    8'h00, 8'h81,
    cfg_mac[7:0], cfg_mac[15:8], cfg_mac[23:16], cfg_mac[31:24], cfg_mac[39:32], cfg_mac[47:40],
    f_da_reg[7:0], f_da_reg[15:8], f_da_reg[23:16], f_da_reg[31:24], f_da_reg[39:32], f_da_reg[47:40]
};

reg [11:0] fbytes;
reg [11:0] lim;
reg [63:0] beat_data;
reg [63:0] word;
reg load;
reg start;
reg [10:0] s_len;
reg [12:0] s_bytes;
integer j;

always @* begin
    active_next = active_reg;
    beat_next = beat_reg;
    nbeats_next = nbeats_reg;
    f_da_next = f_da_reg;
    f_gid_next = f_gid_reg;
    f_type_next = f_type_reg;
    f_flags_next = f_flags_reg;
    f_len_next = f_len_reg;
    f_seq_next = f_seq_reg;
    f_ack_next = f_ack_reg;
    f_tsval_next = f_tsval_reg;
    f_tsecr_next = f_tsecr_reg;
    prev_hi_next = prev_hi_reg;
    src_next = src_reg;
    slot_next = slot_reg;
    rptr_next = rptr_reg;
    rword_next = rword_reg;
    rleft_next = rleft_reg;
    pword_next = pword_reg;
    echo_pending_next = echo_pending_reg;
    tdata_next = tdata_reg;
    tkeep_next = tkeep_reg;
    tvalid_next = tvalid_reg && !m_axis_tready;
    tlast_next = tlast_reg;
    rd_en = 1'b0;
    pop = 1'b0;
    dif_sent_next = 1'b0;
    echo_done_next = 1'b0;
    stat_frame_next = 1'b0;
    stat_dif_next = 1'b0;
    stat_echo_next = 1'b0;
    fbytes = 12'd0;
    lim = 12'd0;
    beat_data = 64'd0;
    word = 64'd0;
    load = 1'b0;
    start = 1'b0;
    s_len = 11'd0;
    s_bytes = 13'd0;

    if (!active_reg) begin
        // ---- choose the next frame ----
        if (dif_turn) begin
            start = 1'b1;
            f_da_next = 48'hffffffffffff;
            f_type_next = 8'd3;
            f_flags_next = 6'd0;
            s_len = 11'd36;
            f_seq_next = 32'd0;
            f_ack_next = 32'd0;
            f_tsval_next = 32'd0;
            f_tsecr_next = 32'd0;
            src_next = SRC_DIF;
            dif_sent_next = 1'b1;
            stat_dif_next = 1'b1;
        end else if (echo_turn) begin
            start = 1'b1;
            f_da_next = echo_dst;
            f_type_next = 8'd6;
            f_flags_next = 6'd0;
            s_len = echo_len;
            f_seq_next = 32'd0;
            f_ack_next = 32'd0;
            f_tsval_next = 32'd0;
            f_tsecr_next = 32'd0;
            src_next = SRC_RXB;
            rptr_next = echo_ptr;
            echo_pending_next = 1'b1;
            stat_echo_next = 1'b1;
        end else if (gbn_valid) begin
            if (gbn_tx_ready) begin
                start = 1'b1;
                f_da_next = host_mac;
                f_flags_next = gbn_tx_flags;
                f_seq_next = gbn_tx_seq;
                f_ack_next = gbn_tx_ack;
                f_tsval_next = gbn_tx_tsval;
                f_tsecr_next = gbn_tx_tsecr;
                src_next = SRC_RING;
                slot_next = gbn_tx_seq[SAW-1:0];
                if (gbn_op == OP_ACK) begin
                    f_type_next = 8'd2;
                    s_len = 11'd0;
                end else begin
                    f_type_next = 8'd1;
                    s_len = len_rd_data;
                end
            end
        end
        if (start) begin
            active_next = 1'b1;
            beat_next = 8'd0;
            f_gid_next = cfg_gid;
            f_len_next = s_len;
            s_bytes = {2'd0, s_len} + 13'd42;
            if (s_bytes < 13'd60) s_bytes = 13'd60;
            nbeats_next = s_bytes[10:3] + {7'd0, s_bytes[2:0] != 3'd0};
            pword_next = s_len[10:3] + {7'd0, s_len[2:0] != 3'd0};
            rleft_next = pword_next;
            rword_next = 8'd0;
            stat_frame_next = 1'b1;
        end
    end else begin
        // ---- read the payload ahead ----
        if (rleft_reg != 8'd0 && fifo_count + {3'd0, rd_inflight_reg} < 4'd4) begin
            rd_en = 1'b1;
            rword_next = rword_reg + 8'd1;
            rleft_next = rleft_reg - 8'd1;
            if (src_reg == SRC_RXB) rptr_next = rptr_reg + 1'b1;
            if (rleft_reg == 8'd1 && src_reg == SRC_RXB) begin
                // the last word of the request is read: release it
                echo_done_next = 1'b1;
                echo_pending_next = 1'b0;
            end
        end

        // ---- produce a beat ----
        if (!tvalid_reg || m_axis_tready) begin
            if (beat_reg < 8'd5) begin
                beat_data = hdr_vec[{beat_reg[2:0], 6'd0} +: 64];
                load = 1'b1;
            end else if (beat_reg - 8'd5 < pword_reg) begin
                if (fifo_valid) begin
                    word = fifo_data;
                    pop = 1'b1;
                    load = 1'b1;
                end
            end else begin
                load = 1'b1;
            end
            if (load) begin
                if (beat_reg >= 8'd5) begin
                    beat_data = {word[47:0], (beat_reg == 8'd5) ? hdr_vec[335:320] : prev_hi_reg};
                    prev_hi_next = word[63:48];
                end
                // zero what lies past the payload (padding)
                lim = {1'b0, f_len_reg} + 12'd42 - {1'b0, beat_reg, 3'd0};
                for (j = 0; j < 8; j = j + 1) begin
                    if ({8'd0, j[3:0]} >= lim && lim[11] == 1'b0) beat_data[j*8 +: 8] = 8'd0;
                    if (lim[11] == 1'b1) beat_data[j*8 +: 8] = 8'd0;
                end
                tdata_next = beat_data;
                tvalid_next = 1'b1;
                tlast_next = beat_reg + 8'd1 == nbeats_reg;
                tkeep_next = 8'hff;
                if (tlast_next) begin
                    fbytes = {1'b0, f_len_reg} + 12'd42;
                    if (fbytes < 12'd60) fbytes = 12'd60;
                    case (fbytes[2:0])
                        3'd1: tkeep_next = 8'h01;
                        3'd2: tkeep_next = 8'h03;
                        3'd3: tkeep_next = 8'h07;
                        3'd4: tkeep_next = 8'h0f;
                        3'd5: tkeep_next = 8'h1f;
                        3'd6: tkeep_next = 8'h3f;
                        3'd7: tkeep_next = 8'h7f;
                        default: tkeep_next = 8'hff;
                    endcase
                    active_next = 1'b0;
                end
                beat_next = beat_reg + 8'd1;
            end
        end
    end
end

always @(posedge clk) begin
    active_reg <= active_next;
    beat_reg <= beat_next;
    nbeats_reg <= nbeats_next;
    f_da_reg <= f_da_next;
    f_gid_reg <= f_gid_next;
    f_type_reg <= f_type_next;
    f_flags_reg <= f_flags_next;
    f_len_reg <= f_len_next;
    f_seq_reg <= f_seq_next;
    f_ack_reg <= f_ack_next;
    f_tsval_reg <= f_tsval_next;
    f_tsecr_reg <= f_tsecr_next;
    prev_hi_reg <= prev_hi_next;
    src_reg <= src_next;
    slot_reg <= slot_next;
    rptr_reg <= rptr_next;
    rword_reg <= rword_next;
    rleft_reg <= rleft_next;
    pword_reg <= pword_next;
    rd_inflight_reg <= rd_en;
    rd_src_reg <= src_reg;
    dif_word_reg <= dif_vec[{rword_reg[2:0], 6'd0} +: 64];
    echo_pending_reg <= echo_pending_next;
    tdata_reg <= tdata_next;
    tkeep_reg <= tkeep_next;
    tvalid_reg <= tvalid_next;
    tlast_reg <= tlast_next;
    dif_sent_reg <= dif_sent_next;
    echo_done_reg <= echo_done_next;
    stat_frame_reg <= stat_frame_next;
    stat_dif_reg <= stat_dif_next;
    stat_echo_reg <= stat_echo_next;

    if (rst) begin
        active_reg <= 1'b0;
        rleft_reg <= 8'd0;
        rd_inflight_reg <= 1'b0;
        echo_pending_reg <= 1'b0;
        tvalid_reg <= 1'b0;
        tlast_reg <= 1'b0;
        dif_sent_reg <= 1'b0;
        echo_done_reg <= 1'b0;
        stat_frame_reg <= 1'b0;
        stat_dif_reg <= 1'b0;
        stat_echo_reg <= 1'b0;
    end
end

wire _unused_ok = &{1'b0, fifo_in_ready, gbn_tx_seq[31:SAW], gbn_rtx_seq[31:SAW],
                    gbn_snd_nxt[31:SAW], rword_ext[WAW+7:WAW]};

endmodule

`resetall
