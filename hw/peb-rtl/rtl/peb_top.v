// SPDX-License-Identifier: GPL-2.0
/*
 * expether PEB: the I/O-side PCI Express-to-Ethernet bridge.
 *
 *   MAC (AXI stream) --> peb_eth_rx --> receive buffer --> peb_decap --> device
 *                             |             |                 (TLP stream)
 *                             v             v
 *                        peb_rx_ctrl --> peb_gbn <-- peb_eth_tx <-- ring <-- peb_encap <-- device
 *                             |                          |
 *   MAC (AXI stream) <------------------------------------
 *
 * peb_csr holds the configuration and counters, peb_mgmt checks MGMT
 * frames (SET_GID, HMAC-SHA256), peb_dif_timer schedules the DIFs,
 * peb_timebase keeps the microsecond clock.  One clock domain; see
 * Documentation/expether/peb-rtl.rst for the interfaces, their timing and
 * the register map.
 */

// Language: Verilog 2001

`resetall
`timescale 1ns / 1ps
`default_nettype none

module peb_top #
(
    // clock period in picoseconds (6400: 156.25 MHz, 10GBASE-R); 0 when
    // the time comes only from ext_inc_us
    parameter CLK_PERIOD_PS = 6400,
    // retransmit ring: 2^SLOT_ADDR_WIDTH frames (the largest window) ...
    parameter SLOT_ADDR_WIDTH = 6,
    // ... of 2^SLOT_WORD_WIDTH 64-bit words each (8: 2 KiB, any frame)
    parameter SLOT_WORD_WIDTH = 8,
    // receive buffer of 2^BUF_ADDR_WIDTH 64-bit words (at least 8)
    parameter BUF_ADDR_WIDTH = 10,
    // receive descriptor FIFO of 2^DESC_ADDR_WIDTH + 1 frames
    parameter DESC_ADDR_WIDTH = 3
)
(
    input  wire         clk,
    input  wire         rst,

    /*
     * Time and identity
     */
    input  wire [7:0]   ext_inc_us,     // microseconds to add this cycle (0 normally)
    input  wire [31:0]  init_epoch,     // epoch after reset (random, non-zero)

    /*
     * Ethernet: frames from the MAC (no FCS; tuser = bad frame)
     */
    input  wire [63:0]  s_axis_tdata,
    input  wire [7:0]   s_axis_tkeep,
    input  wire         s_axis_tvalid,
    output wire         s_axis_tready,
    input  wire         s_axis_tlast,
    input  wire         s_axis_tuser,

    /*
     * Ethernet: frames to the MAC (it appends the FCS)
     */
    output wire [63:0]  m_axis_tdata,
    output wire [7:0]   m_axis_tkeep,
    output wire         m_axis_tvalid,
    input  wire         m_axis_tready,
    output wire         m_axis_tlast,
    output wire         m_axis_tuser,

    /*
     * Device side: TLPs to the device (requests from the host, and
     * completions of the device's own requests)
     */
    output wire [63:0]  m_dev_tlp_data,
    output wire [1:0]   m_dev_tlp_strb,
    output wire [127:0] m_dev_tlp_hdr,
    output wire         m_dev_tlp_valid,
    output wire         m_dev_tlp_sop,
    output wire         m_dev_tlp_eop,
    input  wire         m_dev_tlp_ready,

    /*
     * Device side: TLPs from the device (completions; DMA requests and
     * MSI-X writes)
     */
    input  wire [63:0]  s_dev_tlp_data,
    input  wire [1:0]   s_dev_tlp_strb,
    input  wire [127:0] s_dev_tlp_hdr,
    input  wire         s_dev_tlp_valid,
    input  wire         s_dev_tlp_sop,
    input  wire         s_dev_tlp_eop,
    output wire         s_dev_tlp_ready,

    /*
     * Registers
     */
    input  wire [11:0]  csr_addr,
    input  wire         csr_wr_en,
    input  wire [31:0]  csr_wr_data,
    input  wire         csr_rd_en,
    output wire [31:0]  csr_rd_data,

    /*
     * Status: something is pending on a timer (an RTO, a delayed ack)
     * or in flight inside the bridge
     */
    output wire         busy
);

localparam SAW = SLOT_ADDR_WIDTH;
localparam WAW = SLOT_WORD_WIDTH;
localparam BAW = BUF_ADDR_WIDTH;
localparam NCNT = 48;
localparam [31:0] PARAMS = (32'd1 << 24) | (BAW << 16) | (WAW << 8) | SAW;

// ---- configuration ----
wire cfg_enable, cfg_present, cfg_mgmt_enable;
wire [47:0] cfg_mac;
wire [11:0] cfg_gid;
wire [15:0] cfg_ethertype;
wire [15:0] cfg_dif_interval_ms;
wire [63:0] cfg_bridge_id;
wire [31:0] cfg_epoch, cfg_dev_id, cfg_class_rev, cfg_subsys;
wire [9:0] cfg_window;
wire [7:0] cfg_ack_every, cfg_dupthresh, cfg_max_timeouts;
wire [47:0] cfg_rto_init_ns, cfg_rto_min_ns, cfg_rto_max_ns, cfg_ack_delay_ns;
wire [47:0] cfg_ack_delay_max_ns;
wire [255:0] cfg_key;
wire cfg_counter_wr;
wire [63:0] cfg_counter;
wire restart;

wire [31:0] now_us;
wire [47:0] now_ns;

// ---- receive ----
wire rxb_wr_en;
wire [BAW-1:0] rxb_wr_addr;
wire [63:0] rxb_wr_data;
wire [BAW:0] rxb_rd_ptr;
wire desc_valid, desc_ready;
wire [1:0] desc_kind;
wire [5:0] desc_flags;
wire [10:0] desc_len;
wire [31:0] desc_seq, desc_ack, desc_tsval, desc_tsecr;
wire [47:0] desc_src;
wire [BAW-1:0] desc_ptr;
wire mgmt_wr_en;
wire [2:0] mgmt_wr_addr;
wire [63:0] mgmt_wr_data;
wire mgmt_valid, mgmt_busy;
wire rx_stat_frame, rx_stat_malformed, rx_stat_wrong_gid, rx_stat_overflow;
wire rx_stat_bad_fcs, rx_stat_bad_dif, rx_stat_ignored;
wire [3:0] rx_stat_err;

// ---- Go-Back-N ----
wire gbn_cmd_valid, gbn_cmd_ready, gbn_cmd_tlp;
wire [2:0] gbn_cmd_op;
wire [31:0] gbn_cmd_local_epoch, gbn_cmd_peer_epoch;
wire [5:0] gbn_cmd_flags;
wire [31:0] gbn_cmd_seq, gbn_cmd_ack, gbn_cmd_tsval, gbn_cmd_tsecr;
wire gbn_done;
wire [2:0] gbn_done_verdict;
wire [5:0] gbn_done_events;
wire gbn_tx_valid, gbn_tx_ready;
wire [1:0] gbn_tx_op;
wire [5:0] gbn_tx_flags;
wire [31:0] gbn_tx_seq, gbn_tx_ack, gbn_tx_tsval, gbn_tx_tsecr;
wire gbn_enq, gbn_q_room, gbn_flush;
wire [31:0] gbn_q_nxt;
wire gbn_open, gbn_dead, gbn_rtx_pending, gbn_new_pending, gbn_ack_due;
wire gbn_timer_armed, gbn_dead_event;
wire [31:0] gbn_rtx_seq, gbn_snd_nxt, gbn_snd_una, gbn_gen, gbn_rcv_nxt;
wire [47:0] gbn_srtt_ns, gbn_rttvar_ns, gbn_rto_ns;
wire [31:0] gbn_local_epoch, gbn_peer_epoch;
wire [19:0] gbn_stat;

// ---- decapsulation, echo, host ----
wire decap_valid, decap_ready, decap_done;
wire [BAW-1:0] decap_ptr;
wire [10:0] decap_len;
wire decap_rd_en;
wire [BAW-1:0] decap_rd_addr;
wire decap_stat_tlp;
wire echo_req, echo_done;
wire [BAW-1:0] echo_ptr;
wire [10:0] echo_len;
wire [47:0] echo_dst;
wire host_valid;
wire [47:0] host_mac;
wire [31:0] host_epoch;
wire ctl_stat_host_dif, ctl_stat_host_other, ctl_stat_no_conn, ctl_stat_delivered;

// ---- transmit ----
wire ring_wr_en;
wire [SAW+WAW-1:0] ring_wr_addr;
wire [63:0] ring_wr_data;
wire len_wr_en;
wire [SAW-1:0] len_wr_addr;
wire [10:0] len_wr_data;
wire ring_rd_en;
wire [SAW+WAW-1:0] ring_rd_addr;
wire [63:0] ring_rd_data;
wire [SAW-1:0] len_rd_addr;
wire tx_rxb_rd_en;
wire [BAW-1:0] tx_rxb_rd_addr;
wire [63:0] rxb_rd_data;
wire dif_req, dif_sent;
wire tx_busy, tx_stat_frame, tx_stat_dif, tx_stat_echo;
wire enc_stat_queued, enc_stat_dropped;

// ---- management ----
wire mgmt_set_gid;
wire [11:0] mgmt_set_gid_value;
wire [63:0] mgmt_last_counter;
wire [2:0] mgmt_last_result;
wire mgmt_stat_accepted, mgmt_stat_rejected;

assign busy = gbn_timer_armed || tx_busy || desc_valid || gbn_new_pending ||
              gbn_rtx_pending || gbn_ack_due || mgmt_busy;

peb_timebase #(
    .CLK_PERIOD_PS(CLK_PERIOD_PS)
)
timebase_inst (
    .clk(clk),
    .rst(rst),
    .ext_inc_us(ext_inc_us),
    .now_us(now_us),
    .now_ns(now_ns)
);

peb_eth_rx #(
    .BUF_ADDR_WIDTH(BAW),
    .DESC_ADDR_WIDTH(DESC_ADDR_WIDTH)
)
eth_rx_inst (
    .clk(clk),
    .rst(rst),
    .cfg_enable(cfg_enable),
    .cfg_mac(cfg_mac),
    .cfg_gid(cfg_gid),
    .cfg_ethertype(cfg_ethertype),
    .s_axis_tdata(s_axis_tdata),
    .s_axis_tkeep(s_axis_tkeep),
    .s_axis_tvalid(s_axis_tvalid),
    .s_axis_tready(s_axis_tready),
    .s_axis_tlast(s_axis_tlast),
    .s_axis_tuser(s_axis_tuser),
    .buf_wr_en(rxb_wr_en),
    .buf_wr_addr(rxb_wr_addr),
    .buf_wr_data(rxb_wr_data),
    .buf_rd_ptr(rxb_rd_ptr),
    .desc_valid(desc_valid),
    .desc_ready(desc_ready),
    .desc_kind(desc_kind),
    .desc_flags(desc_flags),
    .desc_len(desc_len),
    .desc_seq(desc_seq),
    .desc_ack(desc_ack),
    .desc_tsval(desc_tsval),
    .desc_tsecr(desc_tsecr),
    .desc_src(desc_src),
    .desc_ptr(desc_ptr),
    .mgmt_wr_en(mgmt_wr_en),
    .mgmt_wr_addr(mgmt_wr_addr),
    .mgmt_wr_data(mgmt_wr_data),
    .mgmt_valid(mgmt_valid),
    .mgmt_busy(mgmt_busy),
    .stat_frame(rx_stat_frame),
    .stat_malformed(rx_stat_malformed),
    .stat_err(rx_stat_err),
    .stat_wrong_gid(rx_stat_wrong_gid),
    .stat_overflow(rx_stat_overflow),
    .stat_bad_fcs(rx_stat_bad_fcs),
    .stat_bad_dif(rx_stat_bad_dif),
    .stat_ignored(rx_stat_ignored)
);

// receive buffer: written by peb_eth_rx, read by peb_decap or (ECHO) peb_eth_tx
peb_ram_sdp #(
    .DATA_WIDTH(64),
    .ADDR_WIDTH(BAW)
)
rx_buf_inst (
    .clk(clk),
    .wr_en(rxb_wr_en),
    .wr_addr(rxb_wr_addr),
    .wr_data(rxb_wr_data),
    .rd_en(decap_rd_en || tx_rxb_rd_en),
    .rd_addr(tx_rxb_rd_en ? tx_rxb_rd_addr : decap_rd_addr),
    .rd_data(rxb_rd_data)
);

peb_rx_ctrl #(
    .BUF_ADDR_WIDTH(BAW)
)
rx_ctrl_inst (
    .clk(clk),
    .rst(rst),
    .cfg_epoch(cfg_epoch),
    .forget(restart),
    .desc_valid(desc_valid),
    .desc_ready(desc_ready),
    .desc_kind(desc_kind),
    .desc_flags(desc_flags),
    .desc_len(desc_len),
    .desc_seq(desc_seq),
    .desc_ack(desc_ack),
    .desc_tsval(desc_tsval),
    .desc_tsecr(desc_tsecr),
    .desc_src(desc_src),
    .desc_ptr(desc_ptr),
    .buf_rd_ptr(rxb_rd_ptr),
    .gbn_cmd_valid(gbn_cmd_valid),
    .gbn_cmd_ready(gbn_cmd_ready),
    .gbn_cmd_op(gbn_cmd_op),
    .gbn_cmd_local_epoch(gbn_cmd_local_epoch),
    .gbn_cmd_peer_epoch(gbn_cmd_peer_epoch),
    .gbn_cmd_tlp(gbn_cmd_tlp),
    .gbn_cmd_flags(gbn_cmd_flags),
    .gbn_cmd_seq(gbn_cmd_seq),
    .gbn_cmd_ack(gbn_cmd_ack),
    .gbn_cmd_tsval(gbn_cmd_tsval),
    .gbn_cmd_tsecr(gbn_cmd_tsecr),
    .gbn_done(gbn_done),
    .gbn_done_verdict(gbn_done_verdict),
    .gbn_open(gbn_open),
    .gbn_dead(gbn_dead),
    .decap_valid(decap_valid),
    .decap_ready(decap_ready),
    .decap_ptr(decap_ptr),
    .decap_len(decap_len),
    .decap_done(decap_done),
    .echo_req(echo_req),
    .echo_ptr(echo_ptr),
    .echo_len(echo_len),
    .echo_dst(echo_dst),
    .echo_done(echo_done),
    .host_valid(host_valid),
    .host_mac(host_mac),
    .host_epoch(host_epoch),
    .stat_host_dif(ctl_stat_host_dif),
    .stat_host_other(ctl_stat_host_other),
    .stat_no_conn(ctl_stat_no_conn),
    .stat_delivered(ctl_stat_delivered)
);

peb_gbn #(
    .SLOT_ADDR_WIDTH(SAW),
    .TIME_WIDTH(48)
)
gbn_inst (
    .clk(clk),
    .rst(rst),
    .now_us(now_us),
    .now_ns(now_ns),
    .cfg_window(cfg_window),
    .cfg_max_timeouts(cfg_max_timeouts),
    .cfg_ack_every(cfg_ack_every),
    .cfg_dupthresh(cfg_dupthresh),
    .cfg_rto_init_ns(cfg_rto_init_ns),
    .cfg_rto_min_ns(cfg_rto_min_ns),
    .cfg_rto_max_ns(cfg_rto_max_ns),
    .cfg_ack_delay_ns(cfg_ack_delay_ns),
    .cfg_ack_delay_max_ns(cfg_ack_delay_max_ns),
    .cmd_valid(gbn_cmd_valid),
    .cmd_ready(gbn_cmd_ready),
    .cmd_op(gbn_cmd_op),
    .cmd_local_epoch(gbn_cmd_local_epoch),
    .cmd_peer_epoch(gbn_cmd_peer_epoch),
    .cmd_tlp(gbn_cmd_tlp),
    .cmd_flags(gbn_cmd_flags),
    .cmd_seq(gbn_cmd_seq),
    .cmd_ack(gbn_cmd_ack),
    .cmd_tsval(gbn_cmd_tsval),
    .cmd_tsecr(gbn_cmd_tsecr),
    .done(gbn_done),
    .done_verdict(gbn_done_verdict),
    .done_events(gbn_done_events),
    .tx_valid(gbn_tx_valid),
    .tx_op(gbn_tx_op),
    .tx_ready(gbn_tx_ready),
    .tx_flags(gbn_tx_flags),
    .tx_seq(gbn_tx_seq),
    .tx_ack(gbn_tx_ack),
    .tx_tsval(gbn_tx_tsval),
    .tx_tsecr(gbn_tx_tsecr),
    .enq(gbn_enq),
    .q_nxt(gbn_q_nxt),
    .q_room(gbn_q_room),
    .flush(gbn_flush),
    .st_open(gbn_open),
    .st_dead(gbn_dead),
    .rtx_pending(gbn_rtx_pending),
    .rtx_seq(gbn_rtx_seq),
    .new_pending(gbn_new_pending),
    .snd_nxt(gbn_snd_nxt),
    .snd_una(gbn_snd_una),
    .ack_due(gbn_ack_due),
    .timer_armed(gbn_timer_armed),
    .dead_event(gbn_dead_event),
    .st_gen(gbn_gen),
    .st_rcv_nxt(gbn_rcv_nxt),
    .st_srtt_ns(gbn_srtt_ns),
    .st_rttvar_ns(gbn_rttvar_ns),
    .st_rto_ns(gbn_rto_ns),
    .st_local_epoch(gbn_local_epoch),
    .st_peer_epoch(gbn_peer_epoch),
    .stat(gbn_stat)
);

peb_decap #(
    .BUF_ADDR_WIDTH(BAW)
)
decap_inst (
    .clk(clk),
    .rst(rst),
    .start_valid(decap_valid),
    .start_ready(decap_ready),
    .start_ptr(decap_ptr),
    .start_len(decap_len),
    .done(decap_done),
    .buf_rd_en(decap_rd_en),
    .buf_rd_addr(decap_rd_addr),
    .buf_rd_data(rxb_rd_data),
    .m_tlp_data(m_dev_tlp_data),
    .m_tlp_strb(m_dev_tlp_strb),
    .m_tlp_hdr(m_dev_tlp_hdr),
    .m_tlp_valid(m_dev_tlp_valid),
    .m_tlp_sop(m_dev_tlp_sop),
    .m_tlp_eop(m_dev_tlp_eop),
    .m_tlp_ready(m_dev_tlp_ready),
    .stat_tlp(decap_stat_tlp)
);

peb_encap #(
    .SLOT_ADDR_WIDTH(SAW),
    .SLOT_WORD_WIDTH(WAW)
)
encap_inst (
    .clk(clk),
    .rst(rst),
    .s_tlp_data(s_dev_tlp_data),
    .s_tlp_strb(s_dev_tlp_strb),
    .s_tlp_hdr(s_dev_tlp_hdr),
    .s_tlp_valid(s_dev_tlp_valid),
    .s_tlp_sop(s_dev_tlp_sop),
    .s_tlp_eop(s_dev_tlp_eop),
    .s_tlp_ready(s_dev_tlp_ready),
    .ring_wr_en(ring_wr_en),
    .ring_wr_addr(ring_wr_addr),
    .ring_wr_data(ring_wr_data),
    .len_wr_en(len_wr_en),
    .len_wr_addr(len_wr_addr),
    .len_wr_data(len_wr_data),
    .q_nxt(gbn_q_nxt),
    .q_room(gbn_q_room),
    .conn_open(gbn_open),
    .flush(gbn_flush),
    .enq(gbn_enq),
    .stat_queued(enc_stat_queued),
    .stat_dropped(enc_stat_dropped)
);

// retransmit ring: written by peb_encap, read by peb_eth_tx
peb_ram_sdp #(
    .DATA_WIDTH(64),
    .ADDR_WIDTH(SAW + WAW)
)
ring_inst (
    .clk(clk),
    .wr_en(ring_wr_en),
    .wr_addr(ring_wr_addr),
    .wr_data(ring_wr_data),
    .rd_en(ring_rd_en),
    .rd_addr(ring_rd_addr),
    .rd_data(ring_rd_data)
);

// payload length of each ring slot
reg [10:0] len_table[0:(2**SAW)-1];

always @(posedge clk) begin
    if (len_wr_en) begin
        len_table[len_wr_addr] <= len_wr_data;
    end
end

peb_dif_timer dif_timer_inst (
    .clk(clk),
    .rst(rst),
    .enable(cfg_enable),
    .interval_ms(cfg_dif_interval_ms),
    .now_us(now_us),
    .now(restart),
    .dif_req(dif_req),
    .dif_sent(dif_sent)
);

peb_eth_tx #(
    .SLOT_ADDR_WIDTH(SAW),
    .SLOT_WORD_WIDTH(WAW),
    .BUF_ADDR_WIDTH(BAW)
)
eth_tx_inst (
    .clk(clk),
    .rst(rst),
    .cfg_enable(cfg_enable),
    .cfg_mac(cfg_mac),
    .cfg_gid(cfg_gid),
    .cfg_ethertype(cfg_ethertype),
    .cfg_dif_interval_ms(cfg_dif_interval_ms),
    .cfg_dif_present(cfg_present),
    .cfg_bridge_id(cfg_bridge_id),
    .cfg_epoch(cfg_epoch),
    .cfg_dev_id(cfg_dev_id),
    .cfg_class_rev(cfg_class_rev),
    .cfg_subsys(cfg_subsys),
    .host_mac(host_mac),
    .dif_req(dif_req),
    .dif_sent(dif_sent),
    .echo_req(echo_req),
    .echo_ptr(echo_ptr),
    .echo_len(echo_len),
    .echo_dst(echo_dst),
    .echo_done(echo_done),
    .gbn_open(gbn_open),
    .gbn_rtx_pending(gbn_rtx_pending),
    .gbn_rtx_seq(gbn_rtx_seq),
    .gbn_new_pending(gbn_new_pending),
    .gbn_snd_nxt(gbn_snd_nxt),
    .gbn_ack_due(gbn_ack_due),
    .gbn_tx_valid(gbn_tx_valid),
    .gbn_tx_op(gbn_tx_op),
    .gbn_tx_ready(gbn_tx_ready),
    .gbn_tx_flags(gbn_tx_flags),
    .gbn_tx_seq(gbn_tx_seq),
    .gbn_tx_ack(gbn_tx_ack),
    .gbn_tx_tsval(gbn_tx_tsval),
    .gbn_tx_tsecr(gbn_tx_tsecr),
    .ring_rd_en(ring_rd_en),
    .ring_rd_addr(ring_rd_addr),
    .ring_rd_data(ring_rd_data),
    .len_rd_addr(len_rd_addr),
    .len_rd_data(len_table[len_rd_addr]),
    .rxb_rd_en(tx_rxb_rd_en),
    .rxb_rd_addr(tx_rxb_rd_addr),
    .rxb_rd_data(rxb_rd_data),
    .m_axis_tdata(m_axis_tdata),
    .m_axis_tkeep(m_axis_tkeep),
    .m_axis_tvalid(m_axis_tvalid),
    .m_axis_tready(m_axis_tready),
    .m_axis_tlast(m_axis_tlast),
    .m_axis_tuser(m_axis_tuser),
    .busy(tx_busy),
    .stat_frame(tx_stat_frame),
    .stat_dif(tx_stat_dif),
    .stat_echo(tx_stat_echo)
);

peb_mgmt mgmt_inst (
    .clk(clk),
    .rst(rst),
    .cfg_enable(cfg_mgmt_enable),
    .cfg_mac(cfg_mac),
    .cfg_bridge_id(cfg_bridge_id),
    .cfg_key(cfg_key),
    .cfg_counter_wr(cfg_counter_wr),
    .cfg_counter(cfg_counter),
    .cap_wr_en(mgmt_wr_en),
    .cap_wr_addr(mgmt_wr_addr),
    .cap_wr_data(mgmt_wr_data),
    .frame_valid(mgmt_valid),
    .busy(mgmt_busy),
    .set_gid(mgmt_set_gid),
    .set_gid_value(mgmt_set_gid_value),
    .last_counter(mgmt_last_counter),
    .last_result(mgmt_last_result),
    .stat_accepted(mgmt_stat_accepted),
    .stat_rejected(mgmt_stat_rejected)
);

// counters, in the order of the register map
reg [8:0] err_onehot;
integer e;
always @* begin
    err_onehot = 9'd0;
    for (e = 1; e <= 9; e = e + 1) begin
        if (rx_stat_malformed && rx_stat_err == e[3:0]) err_onehot[e-1] = 1'b1;
    end
end

wire [NCNT-1:0] cnt_inc = {
    restart,                    // 47 bridge restarts (GID, epoch, enable)
    gbn_stat,                   // 27..46 struct ee_gbn_stats
    mgmt_stat_rejected,         // 26
    mgmt_stat_accepted,         // 25
    tx_stat_echo,               // 24
    tx_stat_dif,                // 23
    tx_stat_frame,              // 22
    enc_stat_dropped,           // 21
    enc_stat_queued,            // 20
    decap_stat_tlp,             // 19
    ctl_stat_host_other,        // 18
    ctl_stat_host_dif,          // 17
    ctl_stat_no_conn,           // 16
    rx_stat_ignored,            // 15
    rx_stat_bad_dif,            // 14
    rx_stat_bad_fcs,            // 13
    rx_stat_overflow,           // 12
    rx_stat_wrong_gid,          // 11
    err_onehot,                 // 2..10 by ee_err code 1..9
    rx_stat_malformed,          // 1
    rx_stat_frame               // 0
};

peb_csr #(
    .NCNT(NCNT),
    .PARAMS(PARAMS)
)
csr_inst (
    .clk(clk),
    .rst(rst),
    .csr_addr(csr_addr),
    .csr_wr_en(csr_wr_en),
    .csr_wr_data(csr_wr_data),
    .csr_rd_en(csr_rd_en),
    .csr_rd_data(csr_rd_data),
    .init_epoch(init_epoch),
    .cfg_enable(cfg_enable),
    .cfg_present(cfg_present),
    .cfg_mgmt_enable(cfg_mgmt_enable),
    .cfg_mac(cfg_mac),
    .cfg_gid(cfg_gid),
    .cfg_ethertype(cfg_ethertype),
    .cfg_dif_interval_ms(cfg_dif_interval_ms),
    .cfg_bridge_id(cfg_bridge_id),
    .cfg_epoch(cfg_epoch),
    .cfg_dev_id(cfg_dev_id),
    .cfg_class_rev(cfg_class_rev),
    .cfg_subsys(cfg_subsys),
    .cfg_window(cfg_window),
    .cfg_ack_every(cfg_ack_every),
    .cfg_dupthresh(cfg_dupthresh),
    .cfg_max_timeouts(cfg_max_timeouts),
    .cfg_rto_init_ns(cfg_rto_init_ns),
    .cfg_rto_min_ns(cfg_rto_min_ns),
    .cfg_rto_max_ns(cfg_rto_max_ns),
    .cfg_ack_delay_ns(cfg_ack_delay_ns),
    .cfg_ack_delay_max_ns(cfg_ack_delay_max_ns),
    .cfg_key(cfg_key),
    .cfg_counter_wr(cfg_counter_wr),
    .cfg_counter(cfg_counter),
    .restart(restart),
    .mgmt_set_gid(mgmt_set_gid),
    .mgmt_gid(mgmt_set_gid_value),
    .mgmt_counter(mgmt_last_counter),
    .mgmt_result(mgmt_last_result),
    .status({3'd0, tx_busy, mgmt_busy, gbn_dead, gbn_open, host_valid}),
    .st_host_mac(host_mac),
    .st_host_epoch(host_epoch),
    .st_gen(gbn_gen),
    .st_snd_una(gbn_snd_una),
    .st_snd_nxt(gbn_snd_nxt),
    .st_rcv_nxt(gbn_rcv_nxt),
    .st_srtt_ns(gbn_srtt_ns[31:0]),
    .st_rttvar_ns(gbn_rttvar_ns[31:0]),
    .st_rto_ns(gbn_rto_ns[31:0]),
    .st_now_us(now_us),
    .cnt_inc(cnt_inc)
);

wire _unused_ok = &{1'b0, gbn_done_events, gbn_dead_event, gbn_srtt_ns[47:32],
                    gbn_rttvar_ns[47:32], gbn_rto_ns[47:32], gbn_local_epoch,
                    gbn_peer_epoch, ctl_stat_delivered};

endmodule

`resetall
