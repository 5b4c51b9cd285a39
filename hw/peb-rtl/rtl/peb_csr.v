// SPDX-License-Identifier: GPL-2.0
/*
 * expether PEB: control and status registers on a simple register
 * interface (one 32-bit register per word address; a write takes effect
 * at the clock edge with csr_wr_en; csr_rd_data is valid the cycle after
 * csr_rd_en).  Documentation/expether/peb-rtl.rst has the map; in short:
 *
 *   0x000 ID "PEB1"            0x004 PARAMS (ring, slot, buffer widths)
 *   0x008 CTRL enable, PRESENT, mgmt enable
 *   0x00c STATUS               0x010/0x014 MAC high/low
 *   0x018 GID                  0x01c ETHERTYPE
 *   0x020 DIF_INTERVAL_MS      0x024/0x028 BRIDGE_ID high/low
 *   0x02c EPOCH (a write restarts the bridge)
 *   0x030 DEV_ID 0x034 CLASS_REV 0x038 SUBSYS (the DIF's device summary)
 *   0x03c ACK_DELAY_MAX_US
 *   0x040 WINDOW 0x044 ACK_EVERY 0x048 DUPTHRESH 0x04c MAX_TIMEOUTS
 *   0x050 RTO_INIT_US 0x054 RTO_MIN_US 0x058 RTO_MAX_US 0x05c ACK_DELAY_US
 *   0x060.. connection status (host, epochs, sequence numbers, RTT)
 *   0x090/0x094 MGMT_COUNTER high/low, 0x098 MGMT_RESULT
 *   0x0a0..0x0bc MGMT_KEY, 8 words, write-only
 *   0x100 + 4 i: counter i (read-only, 32-bit, wrapping)
 */

// Language: Verilog 2001

`resetall
`timescale 1ns / 1ps
`default_nettype none

module peb_csr #
(
    parameter NCNT = 48,
    parameter [31:0] PARAMS = 32'd0,
    parameter [11:0] GID_RESET = 12'd4093
)
(
    input  wire         clk,
    input  wire         rst,

    /*
     * Register interface
     */
    input  wire [11:0]  csr_addr,
    input  wire         csr_wr_en,
    input  wire [31:0]  csr_wr_data,
    input  wire         csr_rd_en,
    output wire [31:0]  csr_rd_data,

    input  wire [31:0]  init_epoch,

    /*
     * Configuration
     */
    output wire         cfg_enable,
    output wire         cfg_present,
    output wire         cfg_mgmt_enable,
    output wire [47:0]  cfg_mac,
    output wire [11:0]  cfg_gid,
    output wire [15:0]  cfg_ethertype,
    output wire [15:0]  cfg_dif_interval_ms,
    output wire [63:0]  cfg_bridge_id,
    output wire [31:0]  cfg_epoch,
    output wire [31:0]  cfg_dev_id,
    output wire [31:0]  cfg_class_rev,
    output wire [31:0]  cfg_subsys,
    output wire [9:0]   cfg_window,
    output wire [7:0]   cfg_ack_every,
    output wire [7:0]   cfg_dupthresh,
    output wire [7:0]   cfg_max_timeouts,
    output wire [47:0]  cfg_rto_init_ns,
    output wire [47:0]  cfg_rto_min_ns,
    output wire [47:0]  cfg_rto_max_ns,
    output wire [47:0]  cfg_ack_delay_ns,
    output wire [47:0]  cfg_ack_delay_max_ns,
    output wire [255:0] cfg_key,
    output wire         cfg_counter_wr,
    output wire [63:0]  cfg_counter,
    // the bridge must forget its host and announce itself (GID, epoch,
    // enable changed)
    output wire         restart,

    /*
     * Management
     */
    input  wire         mgmt_set_gid,
    input  wire [11:0]  mgmt_gid,
    input  wire [63:0]  mgmt_counter,
    input  wire [2:0]   mgmt_result,

    /*
     * Status
     */
    input  wire [7:0]   status,
    input  wire [47:0]  st_host_mac,
    input  wire [31:0]  st_host_epoch,
    input  wire [31:0]  st_gen,
    input  wire [31:0]  st_snd_una,
    input  wire [31:0]  st_snd_nxt,
    input  wire [31:0]  st_rcv_nxt,
    input  wire [31:0]  st_srtt_ns,
    input  wire [31:0]  st_rttvar_ns,
    input  wire [31:0]  st_rto_ns,
    input  wire [31:0]  st_now_us,

    /*
     * Counters
     */
    input  wire [NCNT-1:0] cnt_inc
);

reg enable_reg, present_reg, mgmt_en_reg;
reg [47:0] mac_reg;
reg [11:0] gid_reg;
reg [15:0] ethertype_reg;
reg [15:0] interval_reg;
reg [63:0] bridge_id_reg;
reg [31:0] epoch_reg;
reg [31:0] dev_id_reg, class_rev_reg, subsys_reg;
reg [9:0] window_reg;
reg [7:0] ack_every_reg, dupthresh_reg, max_timeouts_reg;
reg [31:0] rto_init_reg, rto_min_reg, rto_max_reg, ack_delay_reg, ack_delay_max_reg;
reg [47:0] rto_init_ns_reg, rto_min_ns_reg, rto_max_ns_reg, ack_delay_ns_reg;
reg [47:0] ack_delay_max_ns_reg;
reg [255:0] key_reg;
reg [31:0] counter_hi_reg;
reg counter_wr_reg;
reg [63:0] counter_reg;
reg restart_reg;
reg [31:0] rd_data_reg;
reg [31:0] cnt[0:NCNT-1];

assign csr_rd_data = rd_data_reg;
assign cfg_enable = enable_reg;
assign cfg_present = present_reg;
assign cfg_mgmt_enable = mgmt_en_reg;
assign cfg_mac = mac_reg;
assign cfg_gid = gid_reg;
assign cfg_ethertype = ethertype_reg;
assign cfg_dif_interval_ms = interval_reg;
assign cfg_bridge_id = bridge_id_reg;
assign cfg_epoch = epoch_reg;
assign cfg_dev_id = dev_id_reg;
assign cfg_class_rev = class_rev_reg;
assign cfg_subsys = subsys_reg;
assign cfg_window = window_reg;
assign cfg_ack_every = ack_every_reg;
assign cfg_dupthresh = dupthresh_reg;
assign cfg_max_timeouts = max_timeouts_reg;
assign cfg_rto_init_ns = rto_init_ns_reg;
assign cfg_rto_min_ns = rto_min_ns_reg;
assign cfg_rto_max_ns = rto_max_ns_reg;
assign cfg_ack_delay_ns = ack_delay_ns_reg;
assign cfg_ack_delay_max_ns = ack_delay_max_ns_reg;
assign cfg_key = key_reg;
assign cfg_counter_wr = counter_wr_reg;
assign cfg_counter = counter_reg;
assign restart = restart_reg;

// x * 1000 = x * 1024 - x * 16 - x * 8
function [47:0] us_ns;
    input [31:0] x;
    begin
        us_ns = ({16'd0, x} << 10) - ({16'd0, x} << 4) - ({16'd0, x} << 3);
    end
endfunction

integer i;
wire wr = csr_wr_en;
wire [9:0] wa = csr_addr[11:2];

always @(posedge clk) begin
    restart_reg <= 1'b0;
    counter_wr_reg <= 1'b0;

    if (wr) begin
        case (wa)
            10'h002: begin
                enable_reg <= csr_wr_data[0];
                present_reg <= csr_wr_data[1];
                mgmt_en_reg <= csr_wr_data[2];
                if (csr_wr_data[0] != enable_reg) restart_reg <= 1'b1;
            end
            10'h004: mac_reg[47:32] <= csr_wr_data[15:0];
            10'h005: mac_reg[31:0] <= csr_wr_data;
            10'h006: begin
                if (csr_wr_data[11:0] != 12'h000 && csr_wr_data[11:0] != 12'hfff) begin
                    if (csr_wr_data[11:0] != gid_reg) restart_reg <= 1'b1;
                    gid_reg <= csr_wr_data[11:0];
                end
            end
            10'h007: ethertype_reg <= csr_wr_data[15:0];
            10'h008: if (csr_wr_data[15:0] != 16'd0) interval_reg <= csr_wr_data[15:0];
            10'h009: bridge_id_reg[63:32] <= csr_wr_data;
            10'h00a: bridge_id_reg[31:0] <= csr_wr_data;
            10'h00b: begin
                epoch_reg <= csr_wr_data;
                restart_reg <= 1'b1;
            end
            10'h00c: dev_id_reg <= csr_wr_data;
            10'h00d: class_rev_reg <= csr_wr_data;
            10'h00e: subsys_reg <= csr_wr_data;
            10'h00f: ack_delay_max_reg <= csr_wr_data;
            10'h010: window_reg <= csr_wr_data[9:0];
            10'h011: ack_every_reg <= csr_wr_data[7:0];
            10'h012: dupthresh_reg <= csr_wr_data[7:0];
            10'h013: max_timeouts_reg <= csr_wr_data[7:0];
            10'h014: rto_init_reg <= csr_wr_data;
            10'h015: rto_min_reg <= csr_wr_data;
            10'h016: rto_max_reg <= csr_wr_data;
            10'h017: ack_delay_reg <= csr_wr_data;
            10'h024: counter_hi_reg <= csr_wr_data;
            10'h025: begin
                counter_reg <= {counter_hi_reg, csr_wr_data};
                counter_wr_reg <= 1'b1;
            end
            10'h028: key_reg[255:224] <= csr_wr_data;
            10'h029: key_reg[223:192] <= csr_wr_data;
            10'h02a: key_reg[191:160] <= csr_wr_data;
            10'h02b: key_reg[159:128] <= csr_wr_data;
            10'h02c: key_reg[127:96] <= csr_wr_data;
            10'h02d: key_reg[95:64] <= csr_wr_data;
            10'h02e: key_reg[63:32] <= csr_wr_data;
            10'h02f: key_reg[31:0] <= csr_wr_data;
            default: begin
            end
        endcase
    end

    if (mgmt_set_gid) begin
        if (mgmt_gid != gid_reg) restart_reg <= 1'b1;
        gid_reg <= mgmt_gid;
    end

    rto_init_ns_reg <= us_ns(rto_init_reg);
    rto_min_ns_reg <= us_ns(rto_min_reg);
    rto_max_ns_reg <= us_ns(rto_max_reg);
    ack_delay_ns_reg <= us_ns(ack_delay_reg);
    ack_delay_max_ns_reg <= us_ns(ack_delay_max_reg);

    for (i = 0; i < NCNT; i = i + 1) begin
        if (cnt_inc[i]) cnt[i] <= cnt[i] + 32'd1;
    end

    if (csr_rd_en) begin
        rd_data_reg <= 32'd0;
        if (wa >= 10'h040 && wa < 10'h040 + NCNT) begin
            rd_data_reg <= cnt[wa[5:0]];
        end
        case (wa)
            10'h000: rd_data_reg <= 32'h50454231;
            10'h001: rd_data_reg <= PARAMS;
            10'h002: rd_data_reg <= {29'd0, mgmt_en_reg, present_reg, enable_reg};
            10'h003: rd_data_reg <= {24'd0, status};
            10'h004: rd_data_reg <= {16'd0, mac_reg[47:32]};
            10'h005: rd_data_reg <= mac_reg[31:0];
            10'h006: rd_data_reg <= {20'd0, gid_reg};
            10'h007: rd_data_reg <= {16'd0, ethertype_reg};
            10'h008: rd_data_reg <= {16'd0, interval_reg};
            10'h009: rd_data_reg <= bridge_id_reg[63:32];
            10'h00a: rd_data_reg <= bridge_id_reg[31:0];
            10'h00b: rd_data_reg <= epoch_reg;
            10'h00c: rd_data_reg <= dev_id_reg;
            10'h00d: rd_data_reg <= class_rev_reg;
            10'h00e: rd_data_reg <= subsys_reg;
            10'h00f: rd_data_reg <= ack_delay_max_reg;
            10'h010: rd_data_reg <= {22'd0, window_reg};
            10'h011: rd_data_reg <= {24'd0, ack_every_reg};
            10'h012: rd_data_reg <= {24'd0, dupthresh_reg};
            10'h013: rd_data_reg <= {24'd0, max_timeouts_reg};
            10'h014: rd_data_reg <= rto_init_reg;
            10'h015: rd_data_reg <= rto_min_reg;
            10'h016: rd_data_reg <= rto_max_reg;
            10'h017: rd_data_reg <= ack_delay_reg;
            10'h018: rd_data_reg <= {16'd0, st_host_mac[47:32]};
            10'h019: rd_data_reg <= st_host_mac[31:0];
            10'h01a: rd_data_reg <= st_host_epoch;
            10'h01b: rd_data_reg <= st_gen;
            10'h01c: rd_data_reg <= st_snd_una;
            10'h01d: rd_data_reg <= st_snd_nxt;
            10'h01e: rd_data_reg <= st_rcv_nxt;
            10'h020: rd_data_reg <= st_srtt_ns;
            10'h021: rd_data_reg <= st_rttvar_ns;
            10'h022: rd_data_reg <= st_rto_ns;
            10'h023: rd_data_reg <= st_now_us;
            10'h024: rd_data_reg <= mgmt_counter[63:32];
            10'h025: rd_data_reg <= mgmt_counter[31:0];
            10'h026: rd_data_reg <= {29'd0, mgmt_result};
            default: begin
            end
        endcase
    end

    if (rst) begin
        enable_reg <= 1'b0;
        present_reg <= 1'b1;
        mgmt_en_reg <= 1'b0;
        mac_reg <= 48'd0;
        gid_reg <= GID_RESET;
        ethertype_reg <= 16'h88b5;
        interval_reg <= 16'd100;
        bridge_id_reg <= 64'd0;
        epoch_reg <= init_epoch;
        dev_id_reg <= 32'd0;
        class_rev_reg <= 32'd0;
        subsys_reg <= 32'd0;
        window_reg <= 10'd64;
        ack_every_reg <= 8'd4;
        dupthresh_reg <= 8'd3;
        max_timeouts_reg <= 8'd8;
        rto_init_reg <= 32'd10000;
        rto_min_reg <= 32'd1000;
        rto_max_reg <= 32'd64000;
        ack_delay_reg <= 32'd25;
        ack_delay_max_reg <= 32'd200;
        key_reg <= 256'd0;
        counter_hi_reg <= 32'd0;
        counter_reg <= 64'd0;
        counter_wr_reg <= 1'b0;
        restart_reg <= 1'b0;
        rd_data_reg <= 32'd0;
        for (i = 0; i < NCNT; i = i + 1) begin
            cnt[i] <= 32'd0;
        end
    end
end

wire _unused_ok = &{1'b0, csr_addr[1:0]};

endmodule

`resetall
