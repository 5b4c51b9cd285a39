// SPDX-License-Identifier: GPL-2.0
/*
 * expether PEB: management frames (protocol.rst, "Management frames").
 * peb_eth_rx has checked the frame (our MAC, our GID, length, op SET_GID,
 * new_gid 1..4094) and written payload bytes 0..63 into the capture RAM
 * here.  A SET_GID is accepted when all of these hold:
 *
 *   - management is enabled (CSR);
 *   - target_mac is our MAC;
 *   - target_id is our bridge_id or 0;
 *   - counter is greater than the last counter accepted (64-bit);
 *   - hmac is HMAC-SHA256(key, payload bytes 0..27), the key being the
 *     CSR key: up to 32 bytes, zero-padded (a key shorter than 32 bytes
 *     is written followed by zeros, which HMAC treats alike).
 *
 * Then the new GID goes to the CSRs (set_gid) and the counter is kept
 * (readable and writable by firmware, which persists it).  Otherwise the
 * frame is dropped and counted with the first failed check in
 * last_result: 1 accepted, 2 disabled, 3 target MAC, 4 target ID,
 * 5 replayed counter, 6 HMAC.  Frames are never answered.  A MGMT frame
 * arriving while one is checked (about 560 cycles) is dropped by
 * peb_eth_rx and counted as overflow.
 */

// Language: Verilog 2001

`resetall
`timescale 1ns / 1ps
`default_nettype none

module peb_mgmt
(
    input  wire         clk,
    input  wire         rst,

    input  wire         cfg_enable,
    input  wire [47:0]  cfg_mac,
    input  wire [63:0]  cfg_bridge_id,
    input  wire [255:0] cfg_key,
    // firmware restores the replay counter
    input  wire         cfg_counter_wr,
    input  wire [63:0]  cfg_counter,

    /*
     * Capture RAM write port and the frame (peb_eth_rx)
     */
    input  wire         cap_wr_en,
    input  wire [2:0]   cap_wr_addr,
    input  wire [63:0]  cap_wr_data,
    input  wire         frame_valid,
    output wire         busy,

    /*
     * Result
     */
    output wire         set_gid,
    output wire [11:0]  set_gid_value,
    output wire [63:0]  last_counter,
    output wire [2:0]   last_result,
    output wire         stat_accepted,
    output wire         stat_rejected
);

localparam [255:0] SHA256_IV = {32'h6a09e667, 32'hbb67ae85, 32'h3c6ef372, 32'ha54ff53a,
                                32'h510e527f, 32'h9b05688c, 32'h1f83d9ab, 32'h5be0cd19};
localparam [511:0] IPAD = {64{8'h36}};
localparam [511:0] OPAD = {64{8'h5c}};

localparam [2:0]
    S_IDLE = 3'd0,
    S_LOAD = 3'd1,
    S_INNER1 = 3'd2,
    S_INNER2 = 3'd3,
    S_OUTER1 = 3'd4,
    S_OUTER2 = 3'd5,
    S_CHECK = 3'd6;

reg [63:0] cap[0:7];

reg [2:0] state_reg, state_next;
reg [3:0] idx_reg, idx_next;
reg [511:0] p_reg, p_next;            // payload bytes 0..63, byte 0 in [511:504]
reg [255:0] hstate_reg, hstate_next;  // chaining value between blocks
reg [255:0] inner_reg, inner_next;
reg [63:0] counter_reg, counter_next;
reg [2:0] result_reg, result_next;
reg set_gid_reg, set_gid_next;
reg [11:0] gid_reg, gid_next;
reg acc_reg, acc_next;
reg rej_reg, rej_next;

reg sha_start;
reg [255:0] sha_h;
reg [511:0] sha_block;
wire sha_done;
wire [255:0] sha_out;
reg [63:0] cap_rd_reg;

assign busy = state_reg != S_IDLE;
assign set_gid = set_gid_reg;
assign set_gid_value = gid_reg;
assign last_counter = counter_reg;
assign last_result = result_reg;
assign stat_accepted = acc_reg;
assign stat_rejected = rej_reg;

peb_sha256 sha_inst (
    .clk(clk),
    .rst(rst),
    .start(sha_start),
    .h_in(sha_h),
    .block(sha_block),
    .done(sha_done),
    .h_out(sha_out)
);

always @(posedge clk) begin
    if (cap_wr_en) begin
        cap[cap_wr_addr] <= cap_wr_data;
    end
    cap_rd_reg <= cap[idx_reg[2:0]];
end

// byte-swap a little-endian capture word into wire order
function [63:0] wire_order;
    input [63:0] w;
    integer k;
    begin
        for (k = 0; k < 8; k = k + 1) begin
            wire_order[63 - 8*k -: 8] = w[8*k +: 8];
        end
    end
endfunction

wire [511:0] k0 = {cfg_key, 256'd0};
// payload fields (byte offsets of protocol.rst)
wire [47:0] f_target_mac = p_reg[511 - 8*4 -: 48];
wire [63:0] f_target_id = p_reg[511 - 8*12 -: 64];
wire [63:0] f_counter = p_reg[511 - 8*20 -: 64];
wire [255:0] f_hmac = p_reg[511 - 8*28 -: 256];
wire [11:0] f_new_gid = p_reg[511 - 8*2 - 4 -: 12];

always @* begin
    state_next = state_reg;
    idx_next = idx_reg;
    p_next = p_reg;
    hstate_next = hstate_reg;
    inner_next = inner_reg;
    counter_next = counter_reg;
    result_next = result_reg;
    set_gid_next = 1'b0;
    gid_next = gid_reg;
    acc_next = 1'b0;
    rej_next = 1'b0;
    sha_start = 1'b0;
    sha_h = SHA256_IV;
    sha_block = k0 ^ IPAD;

    if (cfg_counter_wr) begin
        counter_next = cfg_counter;
    end

    case (state_reg)
        S_IDLE: begin
            idx_next = 4'd0;
            if (frame_valid) begin
                state_next = S_LOAD;
            end
        end
        S_LOAD: begin
            // capture words 0..7, one per cycle (read latency one)
            idx_next = idx_reg + 4'd1;
            if (idx_reg != 4'd0) begin
                p_next = {p_reg[447:0], wire_order(cap_rd_reg)};
            end
            if (idx_reg == 4'd8) begin
                sha_start = 1'b1;
                sha_h = SHA256_IV;
                sha_block = k0 ^ IPAD;
                state_next = S_INNER1;
            end
        end
        S_INNER1: begin
            if (sha_done) begin
                hstate_next = sha_out;
                sha_start = 1'b1;
                sha_h = sha_out;
                // bytes 0..27, 0x80, zeros, length (64 + 28) * 8 bits
                sha_block = {p_reg[511:288], 8'h80, 216'd0, 64'd736};
                state_next = S_INNER2;
            end
        end
        S_INNER2: begin
            if (sha_done) begin
                inner_next = sha_out;
                sha_start = 1'b1;
                sha_h = SHA256_IV;
                sha_block = k0 ^ OPAD;
                state_next = S_OUTER1;
            end
        end
        S_OUTER1: begin
            if (sha_done) begin
                sha_start = 1'b1;
                sha_h = sha_out;
                // the inner hash, 0x80, zeros, length (64 + 32) * 8 bits
                sha_block = {inner_reg, 8'h80, 184'd0, 64'd768};
                state_next = S_OUTER2;
            end
        end
        S_OUTER2: begin
            if (sha_done) begin
                hstate_next = sha_out;
                state_next = S_CHECK;
            end
        end
        default: begin
            // S_CHECK
            if (!cfg_enable) begin
                result_next = 3'd2;
            end else if (f_target_mac != cfg_mac) begin
                result_next = 3'd3;
            end else if (f_target_id != 64'd0 && f_target_id != cfg_bridge_id) begin
                result_next = 3'd4;
            end else if (f_counter <= counter_reg) begin
                result_next = 3'd5;
            end else if (f_hmac != hstate_reg) begin
                result_next = 3'd6;
            end else begin
                result_next = 3'd1;
            end
            if (result_next == 3'd1) begin
                counter_next = f_counter;
                set_gid_next = 1'b1;
                gid_next = f_new_gid;
                acc_next = 1'b1;
            end else begin
                rej_next = 1'b1;
            end
            state_next = S_IDLE;
        end
    endcase
end

always @(posedge clk) begin
    state_reg <= state_next;
    idx_reg <= idx_next;
    p_reg <= p_next;
    hstate_reg <= hstate_next;
    inner_reg <= inner_next;
    counter_reg <= counter_next;
    result_reg <= result_next;
    set_gid_reg <= set_gid_next;
    gid_reg <= gid_next;
    acc_reg <= acc_next;
    rej_reg <= rej_next;

    if (rst) begin
        state_reg <= S_IDLE;
        idx_reg <= 4'd0;
        counter_reg <= 64'd0;
        result_reg <= 3'd0;
        set_gid_reg <= 1'b0;
        acc_reg <= 1'b0;
        rej_reg <= 1'b0;
    end
end

wire _unused_ok = &{1'b0, p_reg[511 - 8*2 -: 4], p_reg[511 - 8*10 -: 16], p_reg[31:0],
                    p_reg[511 -: 16]};

endmodule

`resetall
