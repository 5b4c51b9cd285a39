// SPDX-License-Identifier: GPL-2.0
/*
 * expether PEB: TLP encapsulation.  Takes the TLPs the device sends
 * (completions now; DMA requests and MSI-X writes later) on a verilog-pcie
 * style TLP stream (see peb_decap.v for the convention) and writes each
 * one, in wire byte order, into the next slot of the retransmit ring:
 * one TLP per frame, slot = q_nxt mod 2^SLOT_ADDR_WIDTH, its length in
 * the slot length table, then enq.  The transmit side numbers and sends
 * it (peb_gbn, peb_eth_tx).
 *
 * Backpressure: tlp_ready stays low while the ring is full (the
 * device's completion credits, in PCIe terms).  A TLP is dropped (and
 * counted) when there is no open connection (as eebox drops a reply it
 * cannot queue), when it is larger than a slot or the largest payload, or
 * when it is not something protocol.rst carries (Fmt/Type, T9, T8, LN,
 * TH, AT).  A new connection (flush) abandons the TLP being written.
 * The sideband TD bit is cleared: no digest is generated.
 */

// Language: Verilog 2001

`resetall
`timescale 1ns / 1ps
`default_nettype none

module peb_encap #
(
    // ring of 2^SLOT_ADDR_WIDTH slots
    parameter SLOT_ADDR_WIDTH = 6,
    // of 2^SLOT_WORD_WIDTH 64-bit words each
    parameter SLOT_WORD_WIDTH = 8
)
(
    input  wire                                      clk,
    input  wire                                      rst,

    /*
     * TLPs from the device
     */
    input  wire [63:0]                               s_tlp_data,
    input  wire [1:0]                                s_tlp_strb,
    input  wire [127:0]                              s_tlp_hdr,
    input  wire                                      s_tlp_valid,
    input  wire                                      s_tlp_sop,
    input  wire                                      s_tlp_eop,
    output wire                                      s_tlp_ready,

    /*
     * Ring write port and slot lengths
     */
    output wire                                      ring_wr_en,
    output wire [SLOT_ADDR_WIDTH+SLOT_WORD_WIDTH-1:0] ring_wr_addr,
    output wire [63:0]                               ring_wr_data,
    output wire                                      len_wr_en,
    output wire [SLOT_ADDR_WIDTH-1:0]                len_wr_addr,
    output wire [10:0]                               len_wr_data,

    /*
     * Queue (peb_gbn)
     */
    input  wire [31:0]                               q_nxt,
    input  wire                                      q_room,
    input  wire                                      conn_open,
    input  wire                                      flush,
    output wire                                      enq,

    /*
     * Statistics (pulses)
     */
    output wire                                      stat_queued,
    output wire                                      stat_dropped
);

localparam SAW = SLOT_ADDR_WIDTH;
localparam WAW = SLOT_WORD_WIDTH;
localparam [13:0] SLOT_BYTES = 14'd8 << WAW;
localparam [13:0] MAX_BYTES = (SLOT_BYTES < 14'd1476) ? SLOT_BYTES : 14'd1476;

localparam [2:0]
    S_IDLE = 3'd0,
    S_H0 = 3'd1,
    S_H1 = 3'd2,
    S_DATA4 = 3'd3,
    S_DATA3 = 3'd4,
    S_FLUSH = 3'd5,
    S_COMMIT = 3'd6,
    S_DROP = 3'd7;

reg [2:0] state_reg, state_next;
reg [127:0] hdr_reg, hdr_next;
reg [SAW-1:0] slot_reg, slot_next;
reg [WAW-1:0] word_reg, word_next;
reg [10:0] size_reg, size_next;
reg [31:0] carry_reg, carry_next;
reg abort_reg, abort_next;

reg ready;
reg wr_en;
reg [63:0] wr_data;
reg len_en;
reg enq_int;
reg stat_queued_reg, stat_queued_next;
reg stat_dropped_reg, stat_dropped_next;

assign s_tlp_ready = ready;
assign ring_wr_en = wr_en;
assign ring_wr_addr = {slot_reg, word_reg};
assign ring_wr_data = wr_data;
assign len_wr_en = len_en;
assign len_wr_addr = slot_reg;
assign len_wr_data = size_reg;
assign enq = enq_int;
assign stat_queued = stat_queued_reg;
assign stat_dropped = stat_dropped_reg;

function [31:0] bswap;
    input [31:0] v;
    begin
        bswap = {v[7:0], v[15:8], v[23:16], v[31:24]};
    end
endfunction

// a TLP protocol.rst carries (ee_tlp_parse's Fmt/Type table)
function carried;
    input [2:0] fmt;
    input [4:0] typ;
    begin
        carried = 1'b0;
        if (typ[4:3] == 2'b10) begin
            carried = fmt == 3'd1 || fmt == 3'd3;
        end else begin
            case (typ)
                5'h00: carried = !fmt[2];
                5'h04, 5'h05, 5'h0a: carried = fmt == 3'd0 || fmt == 3'd2;
                default: carried = 1'b0;
            endcase
        end
    end
endfunction

reg [10:0] dlen;
reg [13:0] size;
reg ok;

always @* begin
    state_next = state_reg;
    hdr_next = hdr_reg;
    slot_next = slot_reg;
    word_next = word_reg;
    size_next = size_reg;
    carry_next = carry_reg;
    abort_next = abort_reg || flush;
    ready = 1'b0;
    wr_en = 1'b0;
    wr_data = 64'd0;
    len_en = 1'b0;
    enq_int = 1'b0;
    stat_queued_next = 1'b0;
    stat_dropped_next = 1'b0;
    dlen = (s_tlp_hdr[105:96] == 10'd0) ? 11'd1024 : {1'b0, s_tlp_hdr[105:96]};
    size = (s_tlp_hdr[125] ? 14'd16 : 14'd12) + (s_tlp_hdr[126] ? {1'b0, dlen, 2'b00} : 14'd0);
    ok = carried(s_tlp_hdr[127:125], s_tlp_hdr[124:120]) &&
         (s_tlp_hdr[119:112] & 8'h8b) == 8'h00 && (s_tlp_hdr[107:106] == 2'b00) &&
         size <= MAX_BYTES;

    case (state_reg)
        S_IDLE: begin
            if (s_tlp_valid) begin
                if (!s_tlp_sop || !ok || !conn_open) begin
                    // not ours to send: consume it
                    state_next = S_DROP;
                end else if (q_room) begin
                    hdr_next = s_tlp_hdr & ~(128'd1 << 111);
                    slot_next = q_nxt[SAW-1:0];
                    word_next = {WAW{1'b0}};
                    size_next = size[10:0];
                    abort_next = 1'b0;
                    state_next = S_H0;
                end
            end
        end
        S_H0: begin
            wr_en = 1'b1;
            wr_data = {bswap(hdr_reg[95:64]), bswap(hdr_reg[127:96])};
            word_next = word_reg + 1'b1;
            state_next = S_H1;
        end
        S_H1: begin
            if (hdr_reg[125]) begin
                // 4 DW header: the data that follows is aligned
                if (hdr_reg[126] || s_tlp_valid) begin
                    wr_en = 1'b1;
                    wr_data = {bswap(hdr_reg[31:0]), bswap(hdr_reg[63:32])};
                    word_next = word_reg + 1'b1;
                    // header only: its beat is consumed here
                    ready = !hdr_reg[126];
                    state_next = hdr_reg[126] ? S_DATA4 : S_COMMIT;
                end
            end else if (s_tlp_valid) begin
                // 3 DW header: its last dword shares a word with data DW 0
                ready = 1'b1;
                wr_en = 1'b1;
                word_next = word_reg + 1'b1;
                if (hdr_reg[126]) begin
                    wr_data = {s_tlp_data[31:0], bswap(hdr_reg[63:32])};
                    carry_next = s_tlp_data[63:32];
                    if (!s_tlp_eop) state_next = S_DATA3;
                    else if (s_tlp_strb[1]) state_next = S_FLUSH;
                    else state_next = S_COMMIT;
                end else begin
                    wr_data = {32'd0, bswap(hdr_reg[63:32])};
                    state_next = S_COMMIT;
                end
            end
        end
        S_DATA4: begin
            ready = 1'b1;
            if (s_tlp_valid) begin
                wr_en = 1'b1;
                wr_data = s_tlp_data;
                if (!s_tlp_strb[1]) wr_data[63:32] = 32'd0;
                word_next = word_reg + 1'b1;
                if (s_tlp_eop) state_next = S_COMMIT;
            end
        end
        S_DATA3: begin
            ready = 1'b1;
            if (s_tlp_valid) begin
                wr_en = 1'b1;
                wr_data = {s_tlp_data[31:0], carry_reg};
                carry_next = s_tlp_data[63:32];
                word_next = word_reg + 1'b1;
                if (s_tlp_eop) state_next = s_tlp_strb[1] ? S_FLUSH : S_COMMIT;
            end
        end
        S_FLUSH: begin
            wr_en = 1'b1;
            wr_data = {32'd0, carry_reg};
            word_next = word_reg + 1'b1;
            state_next = S_COMMIT;
        end
        S_COMMIT: begin
            if (abort_reg || flush) begin
                stat_dropped_next = 1'b1;
            end else begin
                len_en = 1'b1;
                enq_int = 1'b1;
                stat_queued_next = 1'b1;
            end
            state_next = S_IDLE;
        end
        default: begin
            // S_DROP
            ready = 1'b1;
            if (s_tlp_valid && s_tlp_eop) begin
                stat_dropped_next = 1'b1;
                state_next = S_IDLE;
            end
        end
    endcase
end

always @(posedge clk) begin
    state_reg <= state_next;
    hdr_reg <= hdr_next;
    slot_reg <= slot_next;
    word_reg <= word_next;
    size_reg <= size_next;
    carry_reg <= carry_next;
    abort_reg <= abort_next;
    stat_queued_reg <= stat_queued_next;
    stat_dropped_reg <= stat_dropped_next;

    if (rst) begin
        state_reg <= S_IDLE;
        abort_reg <= 1'b0;
        stat_queued_reg <= 1'b0;
        stat_dropped_reg <= 1'b0;
    end
end

wire _unused_ok = &{1'b0, size[13:11], s_tlp_strb[0], q_nxt[31:SAW]};

endmodule

`resetall
