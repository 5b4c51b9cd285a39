// SPDX-License-Identifier: GPL-2.0
/*
 * expether PEB: what the bridge does with each accepted frame, in
 * arrival order, as eebox does (tools/eebox/host.c, box.c):
 *
 * - host DIF of our group: the first one binds the host and opens the
 *   connection between our epoch and its (ee_link_reset); a DIF with
 *   another epoch (the host restarted) opens a new one; a DIF while the
 *   connection is dead resumes it (ee_link_revive: a host that only
 *   stalled finds it as it left it).  The
 *   RTL serves one host: a DIF from another host is counted and ignored
 *   while the connection is open, and takes the bridge over otherwise;
 * - TLP or ACK frame from the bound host: through peb_gbn; a TLP frame it
 *   delivers is decapsulated to the device (peb_decap) before the next
 *   frame is looked at.  Frames from anyone else: counted (no_conn);
 * - ECHO request: answered with the same payload (peb_eth_tx).
 *
 * Two stages: while peb_decap gives the device one frame's TLPs, the next
 * frame already goes through peb_gbn (its TLPs wait for the first's), so
 * back-to-back frames are processed at line rate.  The receive buffer is
 * released frame by frame, in order (buf_rd_ptr).  forget (a GID change, a
 * new epoch of ours, disable) closes the connection and unbinds the host
 * before the next frame.
 */

// Language: Verilog 2001

`resetall
`timescale 1ns / 1ps
`default_nettype none

module peb_rx_ctrl #
(
    parameter BUF_ADDR_WIDTH = 10
)
(
    input  wire                      clk,
    input  wire                      rst,

    input  wire [31:0]               cfg_epoch,
    input  wire                      forget,

    /*
     * Descriptors (peb_eth_rx)
     */
    input  wire                      desc_valid,
    output wire                      desc_ready,
    input  wire [1:0]                desc_kind,
    input  wire [5:0]                desc_flags,
    input  wire [10:0]               desc_len,
    input  wire [31:0]               desc_seq,
    input  wire [31:0]               desc_ack,
    input  wire [31:0]               desc_tsval,
    input  wire [31:0]               desc_tsecr,
    input  wire [47:0]               desc_src,
    input  wire [BUF_ADDR_WIDTH-1:0] desc_ptr,
    output wire [BUF_ADDR_WIDTH:0]   buf_rd_ptr,

    /*
     * Go-Back-N commands (peb_gbn)
     */
    output wire                      gbn_cmd_valid,
    input  wire                      gbn_cmd_ready,
    output wire [2:0]                gbn_cmd_op,
    output wire [31:0]               gbn_cmd_local_epoch,
    output wire [31:0]               gbn_cmd_peer_epoch,
    output wire                      gbn_cmd_tlp,
    output wire [5:0]                gbn_cmd_flags,
    output wire [31:0]               gbn_cmd_seq,
    output wire [31:0]               gbn_cmd_ack,
    output wire [31:0]               gbn_cmd_tsval,
    output wire [31:0]               gbn_cmd_tsecr,
    input  wire                      gbn_done,
    input  wire [2:0]                gbn_done_verdict,
    input  wire                      gbn_open,
    input  wire                      gbn_dead,

    /*
     * Decapsulation (peb_decap)
     */
    output wire                      decap_valid,
    input  wire                      decap_ready,
    output wire [BUF_ADDR_WIDTH-1:0] decap_ptr,
    output wire [10:0]               decap_len,
    input  wire                      decap_done,

    /*
     * ECHO replies (peb_eth_tx)
     */
    output wire                      echo_req,
    output wire [BUF_ADDR_WIDTH-1:0] echo_ptr,
    output wire [10:0]               echo_len,
    output wire [47:0]               echo_dst,
    input  wire                      echo_done,

    /*
     * The host
     */
    output wire                      host_valid,
    output wire [47:0]               host_mac,
    output wire [31:0]               host_epoch,

    /*
     * Statistics (pulses)
     */
    output wire                      stat_host_dif,
    output wire                      stat_host_other,
    output wire                      stat_no_conn,
    output wire                      stat_delivered
);

localparam [1:0]
    KIND_TLP = 2'd0,
    KIND_ACK = 2'd1,
    KIND_DIF = 2'd2,
    KIND_ECHO = 2'd3;

localparam [2:0]
    CMD_RX = 3'd0,
    CMD_OPEN = 3'd1,
    CMD_CLOSE = 3'd3,
    CMD_REVIVE = 3'd4;

localparam [2:0] V_DELIVER = 3'd0;

localparam [2:0]
    S_IDLE = 3'd0,
    S_CMD = 3'd1,
    S_WAIT = 3'd2,
    S_DECAP = 3'd3,
    S_ECHO_WAIT = 3'd4,
    S_ECHO = 3'd5,
    S_RELEASE = 3'd6;

reg [2:0] state_reg, state_next;
reg forget_reg, forget_next;
reg [1:0] kind_reg, kind_next;
reg [5:0] flags_reg, flags_next;
reg [10:0] len_reg, len_next;
reg [31:0] seq_reg, seq_next;
reg [31:0] ack_reg, ack_next;
reg [31:0] tsval_reg, tsval_next;
reg [31:0] tsecr_reg, tsecr_next;
reg [47:0] src_reg, src_next;
reg [BUF_ADDR_WIDTH-1:0] ptr_reg, ptr_next;
reg [2:0] op_reg, op_next;
reg [BUF_ADDR_WIDTH:0] rd_ptr_reg, rd_ptr_next;
// the frame peb_decap is working on: released when it is done
reg d_busy_reg, d_busy_next;
reg [8:0] d_words_reg, d_words_next;
reg host_valid_reg, host_valid_next;
reg [47:0] host_mac_reg, host_mac_next;
reg [31:0] host_epoch_reg, host_epoch_next;
reg stat_host_dif_reg, stat_host_dif_next;
reg stat_host_other_reg, stat_host_other_next;
reg stat_no_conn_reg, stat_no_conn_next;
reg stat_delivered_reg, stat_delivered_next;

reg pop;

assign desc_ready = pop;
assign buf_rd_ptr = rd_ptr_reg;
assign gbn_cmd_valid = state_reg == S_CMD;
assign gbn_cmd_op = op_reg;
assign gbn_cmd_local_epoch = cfg_epoch;
assign gbn_cmd_peer_epoch = host_epoch_reg;
assign gbn_cmd_tlp = kind_reg == KIND_TLP;
assign gbn_cmd_flags = flags_reg;
assign gbn_cmd_seq = seq_reg;
assign gbn_cmd_ack = ack_reg;
assign gbn_cmd_tsval = tsval_reg;
assign gbn_cmd_tsecr = tsecr_reg;
assign decap_valid = state_reg == S_DECAP && !d_busy_reg;
assign decap_ptr = ptr_reg;
assign decap_len = len_reg;
assign echo_req = state_reg == S_ECHO;
assign echo_ptr = ptr_reg;
assign echo_len = len_reg;
assign echo_dst = src_reg;
assign host_valid = host_valid_reg;
assign host_mac = host_mac_reg;
assign host_epoch = host_epoch_reg;
assign stat_host_dif = stat_host_dif_reg;
assign stat_host_other = stat_host_other_reg;
assign stat_no_conn = stat_no_conn_reg;
assign stat_delivered = stat_delivered_reg;

// payload words a frame holds in the buffer
wire [8:0] frame_words = (kind_reg == KIND_TLP || kind_reg == KIND_ECHO) ?
                         {1'b0, len_reg[10:3]} + {8'd0, len_reg[2:0] != 3'd0} : 9'd0;
wire [BUF_ADDR_WIDTH+9:0] frame_words_ext = {{BUF_ADDR_WIDTH+1{1'b0}}, frame_words};
wire [BUF_ADDR_WIDTH+9:0] d_words_ext = {{BUF_ADDR_WIDTH+1{1'b0}}, d_words_reg};

always @* begin
    state_next = state_reg;
    forget_next = forget_reg || forget;
    kind_next = kind_reg;
    flags_next = flags_reg;
    len_next = len_reg;
    seq_next = seq_reg;
    ack_next = ack_reg;
    tsval_next = tsval_reg;
    tsecr_next = tsecr_reg;
    src_next = src_reg;
    ptr_next = ptr_reg;
    op_next = op_reg;
    rd_ptr_next = rd_ptr_reg;
    d_busy_next = d_busy_reg;
    d_words_next = d_words_reg;
    host_valid_next = host_valid_reg;
    host_mac_next = host_mac_reg;
    host_epoch_next = host_epoch_reg;
    stat_host_dif_next = 1'b0;
    stat_host_other_next = 1'b0;
    stat_no_conn_next = 1'b0;
    stat_delivered_next = 1'b0;
    pop = 1'b0;

    if (d_busy_reg && decap_done) begin
        d_busy_next = 1'b0;
        rd_ptr_next = rd_ptr_reg + d_words_ext[BUF_ADDR_WIDTH:0];
    end

    case (state_reg)
        S_IDLE: begin
            if (forget_reg) begin
                forget_next = 1'b0;
                host_valid_next = 1'b0;
                op_next = CMD_CLOSE;
                kind_next = KIND_DIF;
                state_next = S_CMD;
            end else if (desc_valid) begin
                pop = 1'b1;
                kind_next = desc_kind;
                flags_next = desc_flags;
                len_next = desc_len;
                seq_next = desc_seq;
                ack_next = desc_ack;
                tsval_next = desc_tsval;
                tsecr_next = desc_tsecr;
                src_next = desc_src;
                ptr_next = desc_ptr;
                state_next = S_RELEASE;
                case (desc_kind)
                    KIND_DIF: begin
                        // host_dif() of eebox, for one host
                        stat_host_dif_next = 1'b1;
                        if (!host_valid_reg || (desc_src != host_mac_reg && !gbn_open)) begin
                            host_valid_next = 1'b1;
                            host_mac_next = desc_src;
                            host_epoch_next = desc_seq;
                            op_next = CMD_OPEN;
                            state_next = S_CMD;
                        end else if (desc_src != host_mac_reg) begin
                            stat_host_other_next = 1'b1;
                        end else if (desc_seq != host_epoch_reg) begin
                            host_epoch_next = desc_seq;
                            op_next = CMD_OPEN;
                            state_next = S_CMD;
                        end else if (gbn_dead) begin
                            // it may only have stalled: resume
                            op_next = CMD_REVIVE;
                            state_next = S_CMD;
                        end
                    end
                    KIND_ECHO: begin
                        state_next = S_ECHO_WAIT;
                    end
                    KIND_TLP, KIND_ACK: begin
                        // TLP and ACK frames, from our host only
                        if (host_valid_reg && desc_src == host_mac_reg) begin
                            op_next = CMD_RX;
                            state_next = S_CMD;
                        end else begin
                            stat_no_conn_next = 1'b1;
                        end
                    end
                    default: begin
                    end
                endcase
            end
        end
        S_CMD: begin
            if (gbn_cmd_ready) begin
                state_next = S_WAIT;
            end
        end
        S_WAIT: begin
            if (gbn_done) begin
                if (op_reg == CMD_RX && kind_reg == KIND_TLP && gbn_done_verdict == V_DELIVER) begin
                    stat_delivered_next = 1'b1;
                    state_next = S_DECAP;
                end else begin
                    state_next = S_RELEASE;
                end
            end
        end
        S_DECAP: begin
            // after the frame before it: one frame in peb_decap at a time
            if (!d_busy_reg && decap_ready) begin
                d_busy_next = 1'b1;
                d_words_next = frame_words;
                state_next = S_IDLE;
            end
        end
        S_ECHO_WAIT: begin
            // the reply reads the buffer: not while peb_decap does
            if (!d_busy_reg) begin
                state_next = S_ECHO;
            end
        end
        S_ECHO: begin
            if (echo_done) begin
                state_next = S_RELEASE;
            end
        end
        default: begin
            // S_RELEASE: the frame's payload words are free again, after
            // those of the frame in peb_decap
            if (!d_busy_reg) begin
                rd_ptr_next = rd_ptr_reg + frame_words_ext[BUF_ADDR_WIDTH:0];
                state_next = S_IDLE;
            end
        end
    endcase
end

always @(posedge clk) begin
    state_reg <= state_next;
    forget_reg <= forget_next;
    kind_reg <= kind_next;
    flags_reg <= flags_next;
    len_reg <= len_next;
    seq_reg <= seq_next;
    ack_reg <= ack_next;
    tsval_reg <= tsval_next;
    tsecr_reg <= tsecr_next;
    src_reg <= src_next;
    ptr_reg <= ptr_next;
    op_reg <= op_next;
    rd_ptr_reg <= rd_ptr_next;
    d_busy_reg <= d_busy_next;
    d_words_reg <= d_words_next;
    host_valid_reg <= host_valid_next;
    host_mac_reg <= host_mac_next;
    host_epoch_reg <= host_epoch_next;
    stat_host_dif_reg <= stat_host_dif_next;
    stat_host_other_reg <= stat_host_other_next;
    stat_no_conn_reg <= stat_no_conn_next;
    stat_delivered_reg <= stat_delivered_next;

    if (rst) begin
        state_reg <= S_IDLE;
        forget_reg <= 1'b0;
        rd_ptr_reg <= {BUF_ADDR_WIDTH+1{1'b0}};
        d_busy_reg <= 1'b0;
        host_valid_reg <= 1'b0;
        host_mac_reg <= 48'd0;
        host_epoch_reg <= 32'd0;
        stat_host_dif_reg <= 1'b0;
        stat_host_other_reg <= 1'b0;
        stat_no_conn_reg <= 1'b0;
        stat_delivered_reg <= 1'b0;
    end
end

wire _unused_ok = &{1'b0, frame_words_ext[BUF_ADDR_WIDTH+9:BUF_ADDR_WIDTH+1],
                    d_words_ext[BUF_ADDR_WIDTH+9:BUF_ADDR_WIDTH+1]};

endmodule

`resetall
