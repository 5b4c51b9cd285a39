// SPDX-License-Identifier: GPL-2.0
/*
 * expether PEB: Go-Back-N for the bridge's one connection (the host of
 * its group), both directions, rule for rule the shared C implementation
 * net/expether/ee_gbn.c (Documentation/expether/transport.rst), plus the
 * queue bookkeeping of ee_link.c (a ring of 2^SLOT_ADDR_WIDTH frames, no
 * backlog beyond it, no rate control).
 *
 * Time comes in as now_us (our tsval clock) and now_ns = now_us * 1000, so
 * every RFC 6298 figure (srtt, rttvar, rto, deadlines) is computed in
 * nanoseconds exactly as the C code does; the benches run this module in
 * lockstep with ee_gbn.c.  Serial arithmetic (RFC 1982) on 32-bit numbers
 * and on the TIME_WIDTH-bit nanosecond clock.
 *
 * Interfaces:
 * - commands (cmd_*), one at a time, a few cycles each (a SYN of a later
 *   generation: ~15): OPEN (ee_link_reset: generation 0 for new epochs,
 *   else the next one), RESTART (ee_link_restart), CLOSE (ee_link_close),
 *   REVIVE (ee_link_revive: a dead connection resumed in its generation,
 *   the ring's frames kept since the death), RX (ee_gbn_rx of a parsed
 *   TLP or ACK frame header); done pulses with the verdict and events of
 *   ee_gbn_rx();
 * - transmit operations (tx_*), single cycle, taken whenever the engine is
 *   idle, before commands: NEW (ee_gbn_tx_new), RTX (ee_gbn_tx_rtx), ACK
 *   (ee_gbn_tx_ack); the header fields are valid in the cycle tx_ready is
 *   high;
 * - the timer (ee_gbn_timer) runs by itself when the engine is idle;
 * - the queue: q_nxt is the sequence number of the next frame to queue
 *   (slot q_nxt mod 2^SLOT_ADDR_WIDTH), enq counts one in; every new
 *   connection, close or death flushes it (flush pulses); REVIVE takes
 *   back what the death flushed (nothing is queued while dead).
 */

// Language: Verilog 2001

`resetall
`timescale 1ns / 1ps
`default_nettype none

module peb_gbn #
(
    // retransmit ring of 2^SLOT_ADDR_WIDTH frames (the largest window)
    parameter SLOT_ADDR_WIDTH = 6,
    // nanosecond clock width
    parameter TIME_WIDTH = 48
)
(
    input  wire                  clk,
    input  wire                  rst,

    /*
     * Time
     */
    input  wire [31:0]           now_us,
    input  wire [TIME_WIDTH-1:0] now_ns,

    /*
     * Configuration (struct ee_gbn_cfg; clamped here as ee_gbn_init does)
     */
    input  wire [9:0]            cfg_window,
    input  wire [7:0]            cfg_max_timeouts,
    input  wire [7:0]            cfg_ack_every,
    input  wire [7:0]            cfg_dupthresh,
    input  wire [TIME_WIDTH-1:0] cfg_rto_init_ns,
    input  wire [TIME_WIDTH-1:0] cfg_rto_min_ns,
    input  wire [TIME_WIDTH-1:0] cfg_rto_max_ns,
    input  wire [TIME_WIDTH-1:0] cfg_ack_delay_ns,
    input  wire [TIME_WIDTH-1:0] cfg_ack_delay_max_ns,

    /*
     * Commands
     */
    input  wire                  cmd_valid,
    output wire                  cmd_ready,
    input  wire [2:0]            cmd_op,          // 0 RX, 1 OPEN, 2 RESTART, 3 CLOSE, 4 REVIVE
    input  wire [31:0]           cmd_local_epoch, // OPEN
    input  wire [31:0]           cmd_peer_epoch,  // OPEN
    input  wire                  cmd_tlp,         // RX: TLP frame (else ACK frame)
    input  wire [5:0]            cmd_flags,       // RX: header fields
    input  wire [31:0]           cmd_seq,
    input  wire [31:0]           cmd_ack,
    input  wire [31:0]           cmd_tsval,
    input  wire [31:0]           cmd_tsecr,
    output wire                  done,
    output wire [2:0]            done_verdict,    // enum ee_gbn_verdict
    output wire [5:0]            done_events,     // EE_GBN_EV_*

    /*
     * Transmit operations
     */
    input  wire                  tx_valid,
    input  wire [1:0]            tx_op,           // 0 NEW, 1 RTX, 2 ACK
    output wire                  tx_ready,
    output wire [5:0]            tx_flags,
    output wire [31:0]           tx_seq,
    output wire [31:0]           tx_ack,
    output wire [31:0]           tx_tsval,
    output wire [31:0]           tx_tsecr,

    /*
     * Queue
     */
    input  wire                  enq,
    output wire [31:0]           q_nxt,
    output wire                  q_room,
    output wire                  flush,

    /*
     * Status
     */
    output wire                  st_open,
    output wire                  st_dead,
    output wire                  rtx_pending,     // ee_gbn_rtx_pending()
    output wire [31:0]           rtx_seq,
    output wire                  new_pending,     // a queued frame may go (ee_gbn_can_send())
    output wire [31:0]           snd_nxt,
    output wire [31:0]           snd_una,
    output wire                  ack_due,         // ee_gbn_ack_due()
    output wire                  timer_armed,     // RTO or delayed ack pending
    output wire                  dead_event,      // pulse: the peer was declared dead
    output wire [31:0]           st_gen,
    output wire [31:0]           st_rcv_nxt,
    output wire [TIME_WIDTH-1:0] st_srtt_ns,
    output wire [TIME_WIDTH-1:0] st_rttvar_ns,
    output wire [TIME_WIDTH-1:0] st_rto_ns,
    output wire [31:0]           st_local_epoch,
    output wire [31:0]           st_peer_epoch,

    /*
     * Counters of struct ee_gbn_stats (one-cycle pulses):
     * 0 tx_frames, 1 rtx_frames, 2 tx_acks, 3 rx_frames, 4 rx_dup,
     * 5 rx_ooo, 6 rx_stale, 7 rx_unseq, 8 rx_ignored, 9 rx_acks,
     * 10 rx_bad_acks, 11 rx_dupacks, 12 rx_probes, 13 rx_probe_echoes,
     * 14 timeouts, 15 fast_rtx, 16 resets, 17 peer_restarts, 18 deaths,
     * 19 rtt_samples
     */
    output wire [19:0]           stat
);

localparam TW = TIME_WIDTH;
localparam SAW = SLOT_ADDR_WIDTH;
localparam [10:0] SLOTS = 11'd1 << SAW;

localparam [5:0]
    F_SEQ = 6'h01,
    F_ACK = 6'h02,
    F_TS = 6'h04,
    F_TSECR = 6'h08,
    F_SYN = 6'h10,
    F_PROBE = 6'h20;

localparam [2:0]
    V_DELIVER = 3'd0,
    V_ACKONLY = 3'd1,
    V_DUP = 3'd2,
    V_OOO = 3'd3,
    V_STALE = 3'd4,
    V_UNSEQ = 3'd5,
    V_IGNORE = 3'd6;

localparam [5:0]
    EV_RESTART = 6'h01,
    EV_ACKED = 6'h02,
    EV_ACK_NOW = 6'h04,
    EV_RESEND = 6'h08,
    EV_RTT = 6'h10;
// (EE_GBN_EV_DEAD, 0x20, comes from the timer: dead_event)

localparam [1:0]
    G_CLOSED = 2'd0,
    G_OPEN = 2'd1,
    G_DEAD = 2'd2;

localparam [2:0]
    CMD_RX = 3'd0,
    CMD_OPEN = 3'd1,
    CMD_RESTART = 3'd2,
    CMD_CLOSE = 3'd3,
    CMD_REVIVE = 3'd4;

localparam [1:0]
    TX_NEW = 2'd0,
    TX_RTX = 2'd1,
    TX_ACK = 2'd2;

localparam [4:0]
    S_IDLE = 5'd0,
    S_RX = 5'd1,
    S_SYN = 5'd2,
    S_SEQ = 5'd3,
    S_ACK = 5'd4,
    S_ACK_TS = 5'd5,
    S_GAP = 5'd6,
    S_ACK_END = 5'd7,
    S_RTT = 5'd8,
    S_RTO = 5'd9,
    S_POST = 5'd10,
    S_DONE = 5'd11,
    S_OPEN_E1 = 5'd12,
    S_OPEN_E2 = 5'd13,
    S_OPEN_G = 5'd14,
    S_OPEN_APPLY = 5'd15,
    S_RD_WAIT = 5'd16,
    S_GAP_WAIT = 5'd17,
    S_GAP2 = 5'd18,
    S_RTO2 = 5'd19,
    S_REVIVE_ARM = 5'd20;

localparam [31:0] TS_GUARD = 32'h40000000;
localparam [31:0] TS_MAX_RTT = 32'h40000000;
localparam [31:0] TS_SLACK = 32'd1000;
localparam [31:0] MAX_WINDOW = 32'd512;
localparam [31:0] GEN_AHEAD = 32'd65536;  // EE_GBN_GEN_AHEAD
localparam [TW-1:0] G_NS = 1000;
localparam [7:0] PINGPONG = 8'd2;   // answers in a row: interactive
localparam [TW-1:0] CFG_MAX_NS = 48'd3600000000000;

// ---- serial arithmetic ----
localparam [31:0] HALF32 = 32'h80000000;
localparam [TW-1:0] HALFT = {1'b1, {TW-1{1'b0}}};

function seq_lt;
    input [31:0] a;
    input [31:0] b;
    begin
        seq_lt = a != b && ((b - a) & HALF32) == 32'd0;
    end
endfunction

function seq_le;
    input [31:0] a;
    input [31:0] b;
    begin
        seq_le = ((b - a) & HALF32) == 32'd0;
    end
endfunction

// a >= b on the nanosecond clock
function t_ge;
    input [TW-1:0] a;
    input [TW-1:0] b;
    begin
        t_ge = ((a - b) & HALFT) == {TW{1'b0}};
    end
endfunction

function [TW-1:0] t_max;
    input [TW-1:0] a;
    input [TW-1:0] b;
    begin
        t_max = (a > b) ? a : b;
    end
endfunction

function [TW-1:0] t_min;
    input [TW-1:0] a;
    input [TW-1:0] b;
    begin
        t_min = (a < b) ? a : b;
    end
endfunction

// ---- configuration, clamped (ee_gbn_init) ----
reg [10:0] c_window_reg;
reg [7:0] c_max_timeouts_reg;
reg [7:0] c_ack_every_reg;
reg [7:0] c_dupthresh_reg;
reg [TW-1:0] c_rto_min_reg;
reg [TW-1:0] c_rto_max_reg;
reg [TW-1:0] c_rto_init_reg;
reg [TW-1:0] c_ack_delay_reg;
reg [TW-1:0] c_ack_delay_max_reg;

always @(posedge clk) begin
    c_window_reg <= (cfg_window == 10'd0) ? 11'd1 :
                    ({1'b0, cfg_window} > SLOTS) ? SLOTS : {1'b0, cfg_window};
    c_max_timeouts_reg <= (cfg_max_timeouts == 8'd0) ? 8'd1 : cfg_max_timeouts;
    c_ack_every_reg <= (cfg_ack_every == 8'd0) ? 8'd1 : cfg_ack_every;
    c_dupthresh_reg <= cfg_dupthresh;
    c_rto_min_reg <= t_min(t_max(cfg_rto_min_ns, G_NS), CFG_MAX_NS);
    c_rto_max_reg <= t_min(t_max(cfg_rto_max_ns, c_rto_min_reg), CFG_MAX_NS);
    c_rto_init_reg <= t_min(t_max(cfg_rto_init_ns, c_rto_min_reg), c_rto_max_reg);
    c_ack_delay_reg <= t_min(cfg_ack_delay_ns, c_rto_max_reg);
    // an interactive ack still comes well before the peer's RTO
    c_ack_delay_max_reg <= t_min(t_max(cfg_ack_delay_max_ns, c_ack_delay_reg),
                                 t_max(c_ack_delay_reg, c_rto_min_reg >> 2));
end

// ---- state (struct ee_gbn) ----
reg [4:0] fsm_reg, fsm_next;
reg [1:0] state_reg, state_next;
reg opened_reg, opened_next;           // resets > 0
reg rx_synced_reg, rx_synced_next;
reg syn_acked_reg, syn_acked_next;
reg have_rtt_reg, have_rtt_next;
reg timing_reg, timing_next;
reg rto_armed_reg, rto_armed_next;
reg ack_owed_reg, ack_owed_next;
reg probe_owed_reg, probe_owed_next;
reg ts_recent_ok_reg, ts_recent_ok_next;
reg ooo_owed_reg, ooo_owed_next;
reg rto_probe_reg, rto_probe_next;
reg [31:0] local_epoch_reg, local_epoch_next;
reg [31:0] peer_epoch_reg, peer_epoch_next;
reg [31:0] gen_reg, gen_next;
reg [31:0] snd_inner_reg, snd_inner_next;  // mix(mix(local) ^ peer)
reg [31:0] rcv_inner_reg, rcv_inner_next;  // mix(mix(peer) ^ local)
reg [31:0] snd_isn_reg, snd_isn_next;
reg [31:0] snd_una_reg, snd_una_next;
reg [31:0] snd_nxt_reg, snd_nxt_next;
reg [31:0] snd_rtx_reg, snd_rtx_next;
reg [31:0] recover_reg, recover_next;
reg [31:0] dupacks_reg, dupacks_next;
reg [7:0] backoffs_reg, backoffs_next;
reg [31:0] rtt_seq_reg, rtt_seq_next;
reg [TW-1:0] rtt_start_reg, rtt_start_next;
reg [TW-1:0] srtt_reg, srtt_next;
reg [TW-1:0] rttvar_reg, rttvar_next;
reg [TW-1:0] rto_reg, rto_next;
reg [TW-1:0] rto_deadline_reg, rto_deadline_next;
reg [31:0] rcv_isn_reg, rcv_isn_next;
reg [31:0] rcv_nxt_reg, rcv_nxt_next;
reg [9:0] rcv_count_reg, rcv_count_next;   // saturates: only compared with 512
reg [7:0] unacked_reg, unacked_next;
reg [7:0] piggy_reg, piggy_next;         // deliveries in a row answered promptly
reg rx_answer_reg, rx_answer_next;       // the last delivery is not answered yet
reg [TW-1:0] rx_last_reg, rx_last_next;  // when it came
reg [TW-1:0] ack_deadline_reg, ack_deadline_next;
reg [31:0] ts_recent_reg, ts_recent_next;
reg [31:0] probe_ts_reg, probe_ts_next;
reg [31:0] ooo_ts_reg, ooo_ts_next;
reg [31:0] ts_base_reg, ts_base_next;
reg [31:0] q_nxt_reg, q_nxt_next;
reg [31:0] dead_una_reg, dead_una_next;  // snd_una and q_nxt at the death,
reg [31:0] dead_q_reg, dead_q_next;      // for REVIVE (ee_link_revive)

// ---- the command being processed ----
reg h_tlp_reg, h_tlp_next;
reg [5:0] h_flags_reg, h_flags_next;
reg [31:0] h_seq_reg, h_seq_next;
reg [31:0] h_ack_reg, h_ack_next;
reg [31:0] h_tsval_reg, h_tsval_next;
reg [31:0] h_tsecr_reg, h_tsecr_next;
reg [2:0] verdict_reg, verdict_next;
reg [5:0] events_reg, events_next;
reg from_syn_reg, from_syn_next;        // the OPEN sequence serves a peer SYN
reg [31:0] gen_new_reg, gen_new_next;
reg [4:0] ret_reg, ret_next;             // where S_RTT / S_GAP return
reg [TW-1:0] rtt_r_reg, rtt_r_next;      // the RTT sample
reg [TW-1:0] rto_sum_reg, rto_sum_next;  // srtt + max(G, 4 rttvar)
reg [4:0] mix_issue_reg, mix_issue_next;
reg [4:0] mix_recv_reg, mix_recv_next;
reg [31:0] x0_reg, x0_next;
reg [31:0] x1_reg, x1_next;

reg done_reg, done_next;
reg [2:0] done_verdict_reg, done_verdict_next;
reg [5:0] done_events_reg, done_events_next;
reg flush_reg, flush_next;
reg dead_event_reg, dead_event_next;
reg [19:0] stat_reg, stat_next;

// ---- sent_ts: our tsval of each frame in flight, by seq ----
// (twice the ring: the send time of snd_una - 1 stays while a whole
// window is in flight, as gap evidence needs it)
reg ts_wr_en;
reg [SAW:0] ts_wr_addr;
reg [31:0] ts_wr_data;
reg ts_rd_en;
reg [SAW:0] ts_rd_addr;
wire [31:0] ts_rd_data;

peb_ram_sdp #(
    .DATA_WIDTH(32),
    .ADDR_WIDTH(SAW + 1)
)
sent_ts_inst (
    .clk(clk),
    .wr_en(ts_wr_en),
    .wr_addr(ts_wr_addr),
    .wr_data(ts_wr_data),
    .rd_en(ts_rd_en),
    .rd_addr(ts_rd_addr),
    .rd_data(ts_rd_data)
);

// ---- the mixer ----
reg mix_in_valid;
reg [31:0] mix_in_data;
reg [7:0] mix_in_tag;
wire mix_out_valid;
wire [31:0] mix_out_data;
wire [7:0] mix_out_tag;

peb_mix32 mix_inst (
    .clk(clk),
    .rst(rst),
    .in_valid(mix_in_valid),
    .in_data(mix_in_data),
    .in_tag(mix_in_tag),
    .out_valid(mix_out_valid),
    .out_data(mix_out_data),
    .out_tag(mix_out_tag)
);

// ---- its inverse: the generation of a SYN (ee_gbn_isn_gen) ----
reg unmix_in_valid;
wire unmix_out_valid;
wire [31:0] unmix_out_data;
wire [7:0] unmix_out_tag;

peb_mix32 #(
    .INVERSE(1)
)
unmix_inst (
    .clk(clk),
    .rst(rst),
    .in_valid(unmix_in_valid),
    .in_data(h_seq_reg),
    .in_tag(8'd0),
    .out_valid(unmix_out_valid),
    .out_data(unmix_out_data),
    .out_tag(unmix_out_tag)
);

// how many generations ahead of ours the SYN's is
wire [31:0] syn_gen_ahead = (unmix_out_data ^ rcv_inner_reg) - gen_reg;

// ---- combinational status ----
wire is_open = state_reg == G_OPEN;
wire [31:0] in_flight = snd_nxt_reg - snd_una_reg;
wire rtx_allowed = !rto_probe_reg || snd_rtx_reg == snd_una_reg;
wire rtx_pend = is_open && snd_rtx_reg != snd_nxt_reg && rtx_allowed;
wire can_send = is_open && snd_rtx_reg == snd_nxt_reg && in_flight < {21'd0, c_window_reg};
// how long an owed ack waits for a frame to carry it (ee_gbn_owe_ack)
wire [TW-1:0] ack_wait = (piggy_reg >= PINGPONG) ? c_ack_delay_max_reg : c_ack_delay_reg;
wire ack_due_w = probe_owed_reg || (ack_owed_reg && t_ge(now_ns, ack_deadline_reg));
wire rto_expired = is_open && rto_armed_reg && t_ge(now_ns, rto_deadline_reg);
wire [31:0] q_used = q_nxt_reg - snd_una_reg;

assign cmd_ready = fsm_reg == S_IDLE && !tx_valid && !rto_expired;
assign tx_ready = fsm_reg == S_IDLE;
assign done = done_reg;
assign done_verdict = done_verdict_reg;
assign done_events = done_events_reg;
assign q_nxt = q_nxt_reg;
assign q_room = is_open && q_used < {21'd0, SLOTS};
assign flush = flush_reg;
assign st_open = is_open;
assign st_dead = state_reg == G_DEAD;
assign rtx_pending = rtx_pend;
assign rtx_seq = snd_rtx_reg;
assign new_pending = can_send && q_nxt_reg != snd_nxt_reg;
assign snd_nxt = snd_nxt_reg;
assign snd_una = snd_una_reg;
assign ack_due = ack_due_w;
assign timer_armed = is_open && (rto_armed_reg || ack_owed_reg || probe_owed_reg);
assign dead_event = dead_event_reg;
assign st_gen = gen_reg;
assign st_rcv_nxt = rcv_nxt_reg;
assign st_srtt_ns = srtt_reg;
assign st_rttvar_ns = rttvar_reg;
assign st_rto_ns = rto_reg;
assign st_local_epoch = local_epoch_reg;
assign st_peer_epoch = peer_epoch_reg;
assign stat = stat_reg;

// ---- transmit header fields (ee_gbn_fill and its callers) ----
reg [5:0] txf_flags;
reg [31:0] txf_seq;
reg [31:0] txf_tsecr;

always @* begin
    txf_seq = 32'd0;
    txf_flags = F_ACK | F_TS;
    txf_tsecr = 32'd0;
    if (tx_op == TX_NEW || tx_op == TX_RTX) begin
        txf_seq = (tx_op == TX_NEW) ? snd_nxt_reg : snd_rtx_reg;
        txf_flags = txf_flags | F_SEQ;
        if (txf_seq == snd_isn_reg && !syn_acked_reg) begin
            txf_flags = txf_flags | F_SYN;
        end
    end
    if (ooo_owed_reg) begin
        txf_flags = txf_flags | F_TSECR;
        txf_tsecr = ooo_ts_reg;
    end else if (ts_recent_ok_reg) begin
        txf_flags = txf_flags | F_TSECR;
        txf_tsecr = ts_recent_reg;
    end
    if (tx_op == TX_ACK && probe_owed_reg) begin
        // the probe echo takes tsecr
        txf_flags = txf_flags | F_PROBE | F_TSECR;
        txf_tsecr = probe_ts_reg;
    end
end

assign tx_flags = txf_flags;
assign tx_seq = txf_seq;
assign tx_ack = rcv_nxt_reg;
assign tx_tsval = now_us;
assign tx_tsecr = txf_tsecr;

// ---- the engine ----
reg [31:0] acked;
reg [31:0] ahead;
reg [31:0] behind;
reg [31:0] d32;
reg [TW-1:0] err_ns;
reg [TW-1:0] var_ns;
reg [TW-1:0] t_ack;
reg [7:0] unacked_inc;
reg [31:0] gap_ts;
reg gap_hit;
reg gap_more;
reg syn;

// rtt_sample(d * 1000) for an echo d microseconds old
function [TW-1:0] us_to_ns;
    input [31:0] d;
    begin
        us_to_ns = ({{TW-32{1'b0}}, d} << 10) - ({{TW-32{1'b0}}, d} << 4) - ({{TW-32{1'b0}}, d} << 3);
    end
endfunction

always @* begin
    fsm_next = fsm_reg;
    state_next = state_reg;
    opened_next = opened_reg;
    rx_synced_next = rx_synced_reg;
    syn_acked_next = syn_acked_reg;
    have_rtt_next = have_rtt_reg;
    timing_next = timing_reg;
    rto_armed_next = rto_armed_reg;
    ack_owed_next = ack_owed_reg;
    probe_owed_next = probe_owed_reg;
    ts_recent_ok_next = ts_recent_ok_reg;
    ooo_owed_next = ooo_owed_reg;
    rto_probe_next = rto_probe_reg;
    local_epoch_next = local_epoch_reg;
    peer_epoch_next = peer_epoch_reg;
    gen_next = gen_reg;
    snd_inner_next = snd_inner_reg;
    rcv_inner_next = rcv_inner_reg;
    snd_isn_next = snd_isn_reg;
    snd_una_next = snd_una_reg;
    snd_nxt_next = snd_nxt_reg;
    snd_rtx_next = snd_rtx_reg;
    recover_next = recover_reg;
    dupacks_next = dupacks_reg;
    backoffs_next = backoffs_reg;
    rtt_seq_next = rtt_seq_reg;
    rtt_start_next = rtt_start_reg;
    srtt_next = srtt_reg;
    rttvar_next = rttvar_reg;
    rto_next = rto_reg;
    rto_deadline_next = rto_deadline_reg;
    rcv_isn_next = rcv_isn_reg;
    rcv_nxt_next = rcv_nxt_reg;
    rcv_count_next = rcv_count_reg;
    unacked_next = unacked_reg;
    piggy_next = piggy_reg;
    rx_answer_next = rx_answer_reg;
    rx_last_next = rx_last_reg;
    ack_deadline_next = ack_deadline_reg;
    ts_recent_next = ts_recent_reg;
    probe_ts_next = probe_ts_reg;
    ooo_ts_next = ooo_ts_reg;
    ts_base_next = ts_base_reg;
    q_nxt_next = q_nxt_reg;
    dead_una_next = dead_una_reg;
    dead_q_next = dead_q_reg;
    h_tlp_next = h_tlp_reg;
    h_flags_next = h_flags_reg;
    h_seq_next = h_seq_reg;
    h_ack_next = h_ack_reg;
    h_tsval_next = h_tsval_reg;
    h_tsecr_next = h_tsecr_reg;
    verdict_next = verdict_reg;
    events_next = events_reg;
    from_syn_next = from_syn_reg;
    gen_new_next = gen_new_reg;
    ret_next = ret_reg;
    rtt_r_next = rtt_r_reg;
    rto_sum_next = rto_sum_reg;
    mix_issue_next = mix_issue_reg;
    mix_recv_next = mix_recv_reg;
    x0_next = x0_reg;
    x1_next = x1_reg;
    done_next = 1'b0;
    done_verdict_next = done_verdict_reg;
    done_events_next = done_events_reg;
    flush_next = 1'b0;
    dead_event_next = 1'b0;
    stat_next = 20'd0;

    ts_wr_en = 1'b0;
    ts_wr_addr = {SAW+1{1'b0}};
    ts_wr_data = now_us;
    ts_rd_en = 1'b0;
    ts_rd_addr = snd_una_reg[SAW:0];
    mix_in_valid = 1'b0;
    mix_in_data = 32'd0;
    mix_in_tag = 8'd0;
    unmix_in_valid = 1'b0;

    acked = 32'd0;
    ahead = 32'd0;
    behind = 32'd0;
    d32 = 32'd0;
    err_ns = {TW{1'b0}};
    var_ns = {TW{1'b0}};
    t_ack = {TW{1'b0}};
    unacked_inc = 8'd0;
    gap_ts = 32'd0;
    gap_hit = 1'b0;
    gap_more = 1'b0;
    syn = (h_flags_reg & F_SYN) != 6'd0;

    // a frame queued (a flush below wins)
    if (enq) begin
        q_nxt_next = q_nxt_reg + 32'd1;
    end

    case (fsm_reg)
        S_IDLE: begin
            if (tx_valid) begin
                // ---- ee_gbn_tx_new / tx_rtx / tx_ack (fields above) ----
                if (ooo_owed_reg) begin
                    ooo_owed_next = 1'b0;
                end
                ack_owed_next = probe_owed_reg;
                unacked_next = 8'd0;
                if (tx_op == TX_NEW || tx_op == TX_RTX) begin
                    // a data frame within ack_delay_max of a delivery
                    // answers it (ee_gbn_answer)
                    if (rx_answer_reg) begin
                        rx_answer_next = 1'b0;
                        if (!t_ge(now_ns - rx_last_reg, c_ack_delay_max_reg + 1'b1) &&
                            piggy_reg != 8'hff) begin
                            piggy_next = piggy_reg + 8'd1;
                        end
                    end
                    ts_wr_en = 1'b1;
                    ts_wr_addr = txf_seq[SAW:0];
                    if (tx_op == TX_NEW) begin
                        snd_nxt_next = snd_nxt_reg + 32'd1;
                        snd_rtx_next = snd_nxt_reg + 32'd1;
                        stat_next[0] = 1'b1;
                        if (!timing_reg) begin
                            timing_next = 1'b1;
                            rtt_seq_next = snd_nxt_reg;
                            rtt_start_next = now_ns;
                        end
                    end else begin
                        snd_rtx_next = snd_rtx_reg + 32'd1;
                        if (timing_reg && snd_rtx_reg == rtt_seq_reg) begin
                            timing_next = 1'b0;
                        end
                        stat_next[1] = 1'b1;
                    end
                    if (!rto_armed_reg) begin
                        rto_armed_next = 1'b1;
                        rto_deadline_next = now_ns + rto_reg;
                    end
                end else begin
                    // a pure ACK pays the ack: back to ack_delay
                    if (!probe_owed_reg && piggy_reg >= PINGPONG) begin
                        piggy_next = 8'd0;
                    end
                    probe_owed_next = 1'b0;
                    ack_owed_next = 1'b0;
                    if (probe_owed_reg && ooo_owed_reg) begin
                        ooo_owed_next = 1'b1;
                        ack_owed_next = 1'b1;
                    end
                    stat_next[2] = 1'b1;
                end
            end else if (rto_expired) begin
                // ---- ee_gbn_timer: the RTO expired ----
                stat_next[14] = 1'b1;
                backoffs_next = backoffs_reg + 8'd1;
                if (backoffs_next >= c_max_timeouts_reg) begin
                    // ee_gbn_close(), then DEAD; the ring keeps the
                    // frames for REVIVE
                    dead_una_next = snd_una_reg;
                    dead_q_next = q_nxt_reg;
                    state_next = G_DEAD;
                    rto_armed_next = 1'b0;
                    ack_owed_next = 1'b0;
                    probe_owed_next = 1'b0;
                    snd_una_next = snd_nxt_reg;
                    snd_rtx_next = snd_nxt_reg;
                    q_nxt_next = snd_nxt_reg;
                    flush_next = 1'b1;
                    dead_event_next = 1'b1;
                    stat_next[18] = 1'b1;
                end else begin
                    rto_next = t_min(rto_reg << 1, c_rto_max_reg);
                    // go back, resending the oldest frame only
                    snd_rtx_next = snd_una_reg;
                    recover_next = snd_una_reg;
                    dupacks_next = 32'd0;
                    ts_wr_en = 1'b1;
                    ts_wr_addr = snd_una_reg[SAW:0];
                    rto_probe_next = 1'b1;
                    rto_armed_next = 1'b1;
                    rto_deadline_next = now_ns + rto_next;
                end
            end else if (cmd_valid) begin
                h_tlp_next = cmd_tlp;
                h_flags_next = cmd_flags;
                h_seq_next = cmd_seq;
                h_ack_next = cmd_ack;
                h_tsval_next = cmd_tsval;
                h_tsecr_next = cmd_tsecr;
                verdict_next = V_IGNORE;
                events_next = 6'd0;
                from_syn_next = 1'b0;
                mix_issue_next = 5'd0;
                mix_recv_next = 5'd0;
                case (cmd_op)
                    CMD_RX: begin
                        fsm_next = S_RX;
                    end
                    CMD_OPEN: begin
                        if (opened_reg && cmd_local_epoch == local_epoch_reg &&
                            cmd_peer_epoch == peer_epoch_reg) begin
                            // the same two bridges: the next generation
                            gen_new_next = gen_reg + 32'd1;
                            fsm_next = S_OPEN_G;
                        end else begin
                            local_epoch_next = cmd_local_epoch;
                            peer_epoch_next = cmd_peer_epoch;
                            gen_new_next = 32'd0;
                            fsm_next = S_OPEN_E1;
                        end
                    end
                    CMD_RESTART: begin
                        if (state_reg == G_CLOSED && !opened_reg) begin
                            fsm_next = S_DONE;
                        end else begin
                            gen_new_next = gen_reg + 32'd1;
                            fsm_next = S_OPEN_G;
                        end
                    end
                    CMD_REVIVE: begin
                        // ee_link_revive: the same generation, the frames
                        // held at the death due again, the oldest alone
                        if (state_reg != G_DEAD) begin
                            fsm_next = S_DONE;
                        end else begin
                            state_next = G_OPEN;
                            snd_una_next = dead_una_reg;
                            q_nxt_next = dead_q_reg;
                            backoffs_next = 8'd0;
                            dupacks_next = 32'd0;
                            timing_next = 1'b0;
                            if (dead_una_reg != snd_nxt_reg) begin
                                snd_rtx_next = dead_una_reg;
                                recover_next = dead_una_reg;
                                ts_wr_en = 1'b1;
                                ts_wr_addr = dead_una_reg[SAW:0];
                                rto_probe_next = 1'b1;
                            end
                            if (have_rtt_reg) begin
                                ret_next = S_REVIVE_ARM;
                                fsm_next = S_RTO;
                            end else begin
                                rto_next = c_rto_init_reg;
                                fsm_next = S_REVIVE_ARM;
                            end
                        end
                    end
                    CMD_CLOSE: begin
                        // ee_link_close: flush and ee_gbn_close
                        state_next = G_CLOSED;
                        rto_armed_next = 1'b0;
                        ack_owed_next = 1'b0;
                        probe_owed_next = 1'b0;
                        snd_una_next = snd_nxt_reg;
                        snd_rtx_next = snd_nxt_reg;
                        q_nxt_next = snd_nxt_reg;
                        flush_next = 1'b1;
                        fsm_next = S_DONE;
                    end
                    default: begin
                        fsm_next = S_DONE;
                    end
                endcase
            end
        end

        // ---- ee_gbn_rx: the early checks and the SYN rules ----
        S_RX: begin
            if (state_reg == G_CLOSED) begin
                stat_next[8] = 1'b1;
                verdict_next = V_IGNORE;
                fsm_next = S_DONE;
            end else if (h_tlp_reg && (h_flags_reg & F_SEQ) == 6'd0) begin
                stat_next[7] = 1'b1;
                verdict_next = V_UNSEQ;
                fsm_next = S_DONE;
            end else if ((h_flags_reg & F_TSECR) != 6'd0 &&
                         (now_us - ts_base_reg) < TS_GUARD &&
                         !(seq_le(ts_base_reg, h_tsecr_reg) &&
                           seq_le(h_tsecr_reg, now_us + TS_SLACK))) begin
                // an echo from before this connection: stale
                stat_next[6] = 1'b1;
                verdict_next = V_STALE;
                fsm_next = S_DONE;
            end else if (!h_tlp_reg) begin
                if (!is_open) begin
                    stat_next[8] = 1'b1;
                    verdict_next = V_IGNORE;
                    fsm_next = S_DONE;
                end else begin
                    stat_next[9] = 1'b1;
                    verdict_next = V_ACKONLY;
                    fsm_next = S_ACK;
                end
            end else if (syn && is_open && h_seq_reg == rcv_isn_reg && !rx_synced_reg) begin
                rx_synced_next = 1'b1;
                verdict_next = V_DELIVER;
                fsm_next = S_ACK;
            end else if (syn && !(is_open && h_seq_reg == rcv_isn_reg)) begin
                fsm_next = S_SYN;
            end else begin
                fsm_next = S_SEQ;
            end
        end

        // is it the SYN of generation gen + 1..GEN_AHEAD?
        S_SYN: begin
            if (mix_issue_reg == 5'd0) begin
                unmix_in_valid = 1'b1;
                mix_issue_next = 5'd1;
            end
            if (unmix_out_valid) begin
                mix_issue_next = 5'd0;
                if (syn_gen_ahead != 32'd0 && syn_gen_ahead <= GEN_AHEAD) begin
                    gen_new_next = gen_reg + syn_gen_ahead;
                    from_syn_next = 1'b1;
                    fsm_next = S_OPEN_G;
                end else begin
                    fsm_next = S_SEQ;
                end
            end
        end

        // ---- ee_gbn_rx_seq: the ordinary classification ----
        S_SEQ: begin
            ahead = h_seq_reg - rcv_nxt_reg;
            behind = rcv_nxt_reg - h_seq_reg;
            if (!is_open) begin
                stat_next[8] = 1'b1;
                verdict_next = V_IGNORE;
                fsm_next = S_DONE;
            end else if (h_seq_reg == rcv_nxt_reg) begin
                if (rx_synced_reg && !syn) begin
                    verdict_next = V_DELIVER;
                    fsm_next = S_ACK;
                end else begin
                    stat_next[6] = 1'b1;
                    verdict_next = V_STALE;
                    fsm_next = S_DONE;
                end
            end else if (ahead < MAX_WINDOW && !syn) begin
                verdict_next = V_OOO;
                fsm_next = S_ACK;
            end else if (behind <= MAX_WINDOW && behind <= {22'd0, rcv_count_reg} &&
                         (!syn || h_seq_reg == rcv_isn_reg)) begin
                verdict_next = V_DUP;
                fsm_next = S_ACK;
            end else begin
                stat_next[6] = 1'b1;
                verdict_next = V_STALE;
                fsm_next = S_DONE;
            end
        end

        // ---- ee_gbn_rx_ack ----
        S_ACK: begin
            acked = h_ack_reg - snd_una_reg;
            if ((h_flags_reg & F_ACK) == 6'd0) begin
                fsm_next = S_POST;
            end else if (acked > in_flight) begin
                stat_next[10] = 1'b1;
                fsm_next = S_POST;
            end else if (acked == 32'd0) begin
                // gap evidence at the current una
                ts_rd_en = 1'b1;
                ts_rd_addr = snd_una_reg[SAW:0];
                ret_next = S_POST;
                fsm_next = S_RD_WAIT;
            end else begin
                snd_una_next = h_ack_reg;
                syn_acked_next = 1'b1;
                rto_probe_next = 1'b0;
                if (seq_lt(snd_rtx_reg, h_ack_reg)) begin
                    snd_rtx_next = h_ack_reg;
                end
                backoffs_next = 8'd0;
                dupacks_next = 32'd0;
                events_next = events_reg | EV_ACKED;
                if ((h_flags_reg & F_TSECR) != 6'd0) begin
                    // sent_ts of the last frame acked
                    ts_rd_en = 1'b1;
                    ts_rd_addr = h_ack_reg[SAW:0] - {{SAW{1'b0}}, 1'b1};
                    fsm_next = S_ACK_TS;
                end else if (timing_reg && seq_lt(rtt_seq_reg, h_ack_reg)) begin
                    // Karn: the timed frame is acked
                    rtt_r_next = now_ns - rtt_start_reg;
                    ret_next = S_ACK_END;
                    fsm_next = S_RTT;
                end else begin
                    fsm_next = S_ACK_END;
                end
            end
        end

        S_ACK_TS: begin
            if (seq_le(h_tsecr_reg, ts_rd_data)) begin
                d32 = now_us - h_tsecr_reg;
                if (d32 < TS_MAX_RTT) begin
                    rtt_r_next = us_to_ns(d32);
                    ret_next = S_ACK_END;
                    fsm_next = S_RTT;
                end else begin
                    fsm_next = S_ACK_END;
                end
            end else begin
                // newer than the frames acked: a gap at the new una?
                ts_rd_en = 1'b1;
                ts_rd_addr = snd_una_reg[SAW:0];
                ret_next = S_ACK_END;
                fsm_next = S_RD_WAIT;
            end
        end

        S_RD_WAIT: begin
            fsm_next = S_GAP;
        end

        // ---- ee_gbn_gap (ts_rd_data: sent_ts[snd_una]) ----
        S_GAP: begin
            gap_ts = ts_rd_data;
            gap_hit = 1'b0;
            gap_more = 1'b0;
            if (snd_una_reg != snd_nxt_reg && (h_flags_reg & F_PROBE) == 6'd0) begin
                if ((h_flags_reg & F_TSECR) != 6'd0) begin
                    gap_hit = seq_le(gap_ts, h_tsecr_reg);
                    // on a data frame, an echo from the microsecond of
                    // snd_una - 1 may be its in-order echo: look at it
                    if (gap_hit && h_tlp_reg && snd_una_reg != snd_isn_reg) begin
                        gap_more = 1'b1;
                        ts_rd_en = 1'b1;
                        ts_rd_addr = snd_una_reg[SAW:0] - {{SAW{1'b0}}, 1'b1};
                    end
                end else begin
                    gap_hit = !h_tlp_reg && snd_una_reg != recover_reg;
                end
            end
            if (gap_more) begin
                fsm_next = S_GAP_WAIT;
            end else begin
                fsm_next = gap_hit ? S_GAP2 : ret_reg;
            end
        end

        S_GAP_WAIT: begin
            // ts_rd_data: sent_ts[snd_una - 1]
            fsm_next = seq_lt(ts_rd_data, h_tsecr_reg) ? S_GAP2 : ret_reg;
        end

        // one piece of gap evidence
        S_GAP2: begin
            stat_next[11] = 1'b1;
            dupacks_next = dupacks_reg + 32'd1;
            if (dupacks_next == {24'd0, c_dupthresh_reg}) begin
                // go back
                snd_rtx_next = snd_una_reg;
                recover_next = snd_una_reg;
                dupacks_next = 32'd0;
                ts_wr_en = 1'b1;
                ts_wr_addr = snd_una_reg[SAW:0];
                rto_probe_next = 1'b0;
                stat_next[15] = 1'b1;
                events_next = events_reg | EV_RESEND;
            end
            fsm_next = ret_reg;
        end

        S_ACK_END: begin
            if (timing_reg && seq_lt(rtt_seq_reg, snd_una_reg)) begin
                timing_next = 1'b0;
            end
            if (snd_una_reg == snd_nxt_reg) begin
                rto_armed_next = 1'b0;
            end else begin
                rto_armed_next = 1'b1;
                rto_deadline_next = now_ns + rto_reg;
            end
            fsm_next = S_POST;
        end

        // ---- ee_gbn_rtt_sample(rtt_r) ----
        S_RTT: begin
            if (!have_rtt_reg) begin
                srtt_next = rtt_r_reg;
                rttvar_next = rtt_r_reg >> 1;
                have_rtt_next = 1'b1;
            end else begin
                err_ns = (srtt_reg > rtt_r_reg) ? srtt_reg - rtt_r_reg : rtt_r_reg - srtt_reg;
                rttvar_next = rttvar_reg - (rttvar_reg >> 2) + (err_ns >> 2);
                srtt_next = srtt_reg - (srtt_reg >> 3) + (rtt_r_reg >> 3);
            end
            stat_next[19] = 1'b1;
            events_next = events_reg | EV_RTT;
            fsm_next = S_RTO;
        end

        // ---- ee_gbn_rto_calc, in two steps: the sum, then the clamp ----
        S_RTO: begin
            var_ns = rttvar_reg << 2;
            if (var_ns < G_NS) begin
                var_ns = G_NS;
            end
            rto_sum_next = srtt_reg + var_ns;
            fsm_next = S_RTO2;
        end

        S_RTO2: begin
            rto_next = t_min(t_max(rto_sum_reg, c_rto_min_reg), c_rto_max_reg);
            fsm_next = ret_reg;
        end

        // a revived connection with frames in flight: arm the RTO
        S_REVIVE_ARM: begin
            if (snd_una_reg != snd_nxt_reg) begin
                rto_armed_next = 1'b1;
                rto_deadline_next = now_ns + rto_reg;
            end
            fsm_next = S_DONE;
        end

        // ---- ee_gbn_rx: what the verdict does ----
        S_POST: begin
            fsm_next = S_DONE;
            case (verdict_reg)
                V_DELIVER: begin
                    ooo_owed_next = 1'b0;
                    rcv_nxt_next = rcv_nxt_reg + 32'd1;
                    if (rcv_count_reg != 10'h3ff) begin
                        rcv_count_next = rcv_count_reg + 10'd1;
                    end
                    stat_next[3] = 1'b1;
                    if (unacked_reg == 8'd0 && (h_flags_reg & F_TS) != 6'd0) begin
                        ts_recent_next = h_tsval_reg;
                        ts_recent_ok_next = 1'b1;
                    end
                    unacked_inc = (unacked_reg == 8'hff) ? 8'hff : unacked_reg + 8'd1;
                    unacked_next = unacked_inc;
                    rx_answer_next = 1'b1;
                    rx_last_next = now_ns;
                    t_ack = (unacked_inc >= c_ack_every_reg) ? now_ns : now_ns + ack_wait;
                    if (!ack_owed_reg || (t_ge(ack_deadline_reg, t_ack) && t_ack != ack_deadline_reg)) begin
                        ack_deadline_next = t_ack;
                    end
                    ack_owed_next = 1'b1;
                end
                V_DUP: begin
                    stat_next[4] = 1'b1;
                    t_ack = now_ns + ack_wait;
                    if (!ack_owed_reg || (t_ge(ack_deadline_reg, t_ack) && t_ack != ack_deadline_reg)) begin
                        ack_deadline_next = t_ack;
                    end
                    ack_owed_next = 1'b1;
                end
                V_OOO: begin
                    stat_next[5] = 1'b1;
                    if ((h_flags_reg & F_TS) != 6'd0 &&
                        (!ooo_owed_reg || seq_lt(ooo_ts_reg, h_tsval_reg))) begin
                        ooo_ts_next = h_tsval_reg;
                        ooo_owed_next = 1'b1;
                    end
                    t_ack = now_ns;
                    if (!ack_owed_reg || (t_ge(ack_deadline_reg, t_ack) && t_ack != ack_deadline_reg)) begin
                        ack_deadline_next = t_ack;
                    end
                    ack_owed_next = 1'b1;
                end
                default: begin
                    // ACKONLY
                    if ((h_flags_reg & F_PROBE) == 6'd0) begin
                        if ((h_flags_reg & F_TSECR) != 6'd0 && unacked_reg == 8'd0 &&
                            (h_flags_reg & F_TS) != 6'd0 &&
                            (!ts_recent_ok_reg || seq_lt(ts_recent_reg, h_tsval_reg))) begin
                            ts_recent_next = h_tsval_reg;
                            ts_recent_ok_next = 1'b1;
                        end
                    end else if ((h_flags_reg & F_TSECR) != 6'd0) begin
                        // a probe echo
                        stat_next[13] = 1'b1;
                        if ((events_reg & EV_RTT) == 6'd0) begin
                            d32 = now_us - h_tsecr_reg;
                            if (d32 < TS_MAX_RTT) begin
                                rtt_r_next = us_to_ns(d32);
                                ret_next = S_DONE;
                                fsm_next = S_RTT;
                            end
                        end
                    end else if ((h_flags_reg & F_TS) != 6'd0) begin
                        // a probe: echo it at once
                        stat_next[12] = 1'b1;
                        probe_ts_next = h_tsval_reg;
                        probe_owed_next = 1'b1;
                        t_ack = now_ns;
                        if (!ack_owed_reg || (t_ge(ack_deadline_reg, t_ack) && t_ack != ack_deadline_reg)) begin
                            ack_deadline_next = t_ack;
                        end
                        ack_owed_next = 1'b1;
                    end
                end
            endcase
        end

        S_DONE: begin
            done_next = 1'b1;
            done_verdict_next = verdict_reg;
            // (the early returns of ee_gbn_rx() report no ACK_NOW)
            done_events_next = events_reg;
            if (ack_due_w && verdict_reg != V_STALE && verdict_reg != V_UNSEQ &&
                verdict_reg != V_IGNORE) begin
                done_events_next = events_reg | EV_ACK_NOW;
            end
            fsm_next = S_IDLE;
        end

        // ---- opening a connection: the ISNs (ee_gbn_isn) ----
        S_OPEN_E1: begin
            // x0 = mix(local), x1 = mix(peer)
            if (mix_issue_reg != 5'd2) begin
                mix_in_valid = 1'b1;
                mix_in_data = (mix_issue_reg == 5'd0) ? local_epoch_reg : peer_epoch_reg;
                mix_in_tag = {3'd0, mix_issue_reg};
                mix_issue_next = mix_issue_reg + 5'd1;
            end
            if (mix_out_valid) begin
                mix_recv_next = mix_recv_reg + 5'd1;
                if (mix_out_tag[0]) x1_next = mix_out_data; else x0_next = mix_out_data;
            end
            if (mix_recv_next == 5'd2) begin
                mix_issue_next = 5'd0;
                mix_recv_next = 5'd0;
                fsm_next = S_OPEN_E2;
            end
        end

        S_OPEN_E2: begin
            // the generation-independent halves of both ISNs
            if (mix_issue_reg != 5'd2) begin
                mix_in_valid = 1'b1;
                mix_in_data = (mix_issue_reg == 5'd0) ? x0_reg ^ peer_epoch_reg : x1_reg ^ local_epoch_reg;
                mix_in_tag = {3'd0, mix_issue_reg};
                mix_issue_next = mix_issue_reg + 5'd1;
            end
            if (mix_out_valid) begin
                mix_recv_next = mix_recv_reg + 5'd1;
                if (mix_out_tag[0]) rcv_inner_next = mix_out_data; else snd_inner_next = mix_out_data;
            end
            if (mix_recv_next == 5'd2) begin
                mix_issue_next = 5'd0;
                mix_recv_next = 5'd0;
                fsm_next = S_OPEN_G;
            end
        end

        S_OPEN_G: begin
            if (mix_issue_reg != 5'd2) begin
                mix_in_valid = 1'b1;
                mix_in_data = ((mix_issue_reg == 5'd0) ? snd_inner_reg : rcv_inner_reg) ^ gen_new_reg;
                mix_in_tag = {3'd0, mix_issue_reg};
                mix_issue_next = mix_issue_reg + 5'd1;
            end
            if (mix_out_valid) begin
                mix_recv_next = mix_recv_reg + 5'd1;
                if (mix_out_tag[0]) x1_next = mix_out_data; else x0_next = mix_out_data;
            end
            if (mix_recv_next == 5'd2) begin
                mix_issue_next = 5'd0;
                mix_recv_next = 5'd0;
                fsm_next = S_OPEN_APPLY;
            end
        end

        // ---- ee_gbn_open(gen_new) ----
        S_OPEN_APPLY: begin
            state_next = G_OPEN;
            opened_next = 1'b1;
            gen_next = gen_new_reg;
            snd_isn_next = x0_reg;
            snd_una_next = x0_reg;
            snd_nxt_next = x0_reg;
            snd_rtx_next = x0_reg;
            recover_next = x0_reg - 32'd1;
            rcv_isn_next = x1_reg;
            rcv_nxt_next = x1_reg;
            rcv_count_next = 10'd0;
            rx_synced_next = 1'b0;
            syn_acked_next = 1'b0;
            timing_next = 1'b0;
            rto_armed_next = 1'b0;
            ack_owed_next = 1'b0;
            probe_owed_next = 1'b0;
            ts_recent_ok_next = 1'b0;
            ooo_owed_next = 1'b0;
            rto_probe_next = 1'b0;
            piggy_next = 8'd0;
            rx_answer_next = 1'b0;
            dupacks_next = 32'd0;
            backoffs_next = 8'd0;
            unacked_next = 8'd0;
            ts_base_next = now_us;
            q_nxt_next = x0_reg;
            flush_next = 1'b1;
            stat_next[16] = 1'b1;
            if (have_rtt_reg) begin
                // the same path: keep its RTT (ee_gbn_rto_calc)
                ret_next = from_syn_reg ? S_ACK : S_DONE;
                fsm_next = S_RTO;
            end else begin
                rto_next = c_rto_init_reg;
                fsm_next = from_syn_reg ? S_ACK : S_DONE;
            end
            if (from_syn_reg) begin
                // the peer opened this generation: deliver its SYN
                rx_synced_next = 1'b1;
                stat_next[17] = 1'b1;
                events_next = events_reg | EV_RESTART;
                verdict_next = V_DELIVER;
            end
        end

        default: begin
            fsm_next = S_IDLE;
        end
    endcase
end

always @(posedge clk) begin
    fsm_reg <= fsm_next;
    state_reg <= state_next;
    opened_reg <= opened_next;
    rx_synced_reg <= rx_synced_next;
    syn_acked_reg <= syn_acked_next;
    have_rtt_reg <= have_rtt_next;
    timing_reg <= timing_next;
    rto_armed_reg <= rto_armed_next;
    ack_owed_reg <= ack_owed_next;
    probe_owed_reg <= probe_owed_next;
    ts_recent_ok_reg <= ts_recent_ok_next;
    ooo_owed_reg <= ooo_owed_next;
    rto_probe_reg <= rto_probe_next;
    local_epoch_reg <= local_epoch_next;
    peer_epoch_reg <= peer_epoch_next;
    gen_reg <= gen_next;
    snd_inner_reg <= snd_inner_next;
    rcv_inner_reg <= rcv_inner_next;
    snd_isn_reg <= snd_isn_next;
    snd_una_reg <= snd_una_next;
    snd_nxt_reg <= snd_nxt_next;
    snd_rtx_reg <= snd_rtx_next;
    recover_reg <= recover_next;
    dupacks_reg <= dupacks_next;
    backoffs_reg <= backoffs_next;
    rtt_seq_reg <= rtt_seq_next;
    rtt_start_reg <= rtt_start_next;
    srtt_reg <= srtt_next;
    rttvar_reg <= rttvar_next;
    rto_reg <= rto_next;
    rto_deadline_reg <= rto_deadline_next;
    rcv_isn_reg <= rcv_isn_next;
    rcv_nxt_reg <= rcv_nxt_next;
    rcv_count_reg <= rcv_count_next;
    unacked_reg <= unacked_next;
    piggy_reg <= piggy_next;
    rx_answer_reg <= rx_answer_next;
    rx_last_reg <= rx_last_next;
    ack_deadline_reg <= ack_deadline_next;
    ts_recent_reg <= ts_recent_next;
    probe_ts_reg <= probe_ts_next;
    ooo_ts_reg <= ooo_ts_next;
    ts_base_reg <= ts_base_next;
    q_nxt_reg <= q_nxt_next;
    dead_una_reg <= dead_una_next;
    dead_q_reg <= dead_q_next;
    h_tlp_reg <= h_tlp_next;
    h_flags_reg <= h_flags_next;
    h_seq_reg <= h_seq_next;
    h_ack_reg <= h_ack_next;
    h_tsval_reg <= h_tsval_next;
    h_tsecr_reg <= h_tsecr_next;
    verdict_reg <= verdict_next;
    events_reg <= events_next;
    from_syn_reg <= from_syn_next;
    gen_new_reg <= gen_new_next;
    ret_reg <= ret_next;
    rtt_r_reg <= rtt_r_next;
    rto_sum_reg <= rto_sum_next;
    mix_issue_reg <= mix_issue_next;
    mix_recv_reg <= mix_recv_next;
    x0_reg <= x0_next;
    x1_reg <= x1_next;
    done_reg <= done_next;
    done_verdict_reg <= done_verdict_next;
    done_events_reg <= done_events_next;
    flush_reg <= flush_next;
    dead_event_reg <= dead_event_next;
    stat_reg <= stat_next;

    if (rst) begin
        fsm_reg <= S_IDLE;
        state_reg <= G_CLOSED;
        opened_reg <= 1'b0;
        rx_synced_reg <= 1'b0;
        syn_acked_reg <= 1'b0;
        have_rtt_reg <= 1'b0;
        timing_reg <= 1'b0;
        rto_armed_reg <= 1'b0;
        ack_owed_reg <= 1'b0;
        probe_owed_reg <= 1'b0;
        ts_recent_ok_reg <= 1'b0;
        ooo_owed_reg <= 1'b0;
        rto_probe_reg <= 1'b0;
        local_epoch_reg <= 32'd0;
        peer_epoch_reg <= 32'd0;
        gen_reg <= 32'd0;
        snd_isn_reg <= 32'd0;
        snd_una_reg <= 32'd0;
        snd_nxt_reg <= 32'd0;
        snd_rtx_reg <= 32'd0;
        q_nxt_reg <= 32'd0;
        dead_una_reg <= 32'd0;
        dead_q_reg <= 32'd0;
        rcv_nxt_reg <= 32'd0;
        rcv_isn_reg <= 32'd0;
        srtt_reg <= {TW{1'b0}};
        rttvar_reg <= {TW{1'b0}};
        rto_reg <= cfg_rto_init_ns;
        backoffs_reg <= 8'd0;
        dupacks_reg <= 32'd0;
        unacked_reg <= 8'd0;
        piggy_reg <= 8'd0;
        rx_answer_reg <= 1'b0;
        done_reg <= 1'b0;
        flush_reg <= 1'b0;
        dead_event_reg <= 1'b0;
        stat_reg <= 20'd0;
    end
end

wire _unused_ok = &{1'b0, mix_out_tag[7:1], unmix_out_tag};

endmodule

`resetall
