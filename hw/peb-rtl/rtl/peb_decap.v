// SPDX-License-Identifier: GPL-2.0
/*
 * expether PEB: TLP decapsulation.  Reads the payload of a delivered TLP
 * frame from the receive buffer and emits its TLPs, in order, on the
 * device-side TLP stream in the convention of alexforencich's verilog-pcie
 * (64-bit, one segment):
 *
 *   tlp_hdr    128 bits, DW0 in [127:96] (Fmt in [127:125]), DW3 in [31:0]
 *              (0 for a 3 DW header); valid with sop, held to eop
 *   tlp_data   payload dwords, the first one in [31:0], each dword with
 *              its lowest-address byte in bits [7:0]
 *   tlp_strb   one bit per dword of tlp_data; 0 for a header-only TLP
 *   tlp_sop, tlp_eop, tlp_valid, tlp_ready
 *
 * A digest (TD) is not forwarded: it is dropped and TD cleared in the
 * header.  The frame was checked on receive (peb_tlp_check), so every TLP
 * parses and the TLPs fill the payload exactly.  Throughput: one payload
 * word (two dwords) per cycle; done pulses when the whole payload has
 * been read (the buffer may be released).
 */

// Language: Verilog 2001

`resetall
`timescale 1ns / 1ps
`default_nettype none

module peb_decap #
(
    parameter BUF_ADDR_WIDTH = 10
)
(
    input  wire                      clk,
    input  wire                      rst,

    /*
     * A frame to decapsulate
     */
    input  wire                      start_valid,
    output wire                      start_ready,
    input  wire [BUF_ADDR_WIDTH-1:0] start_ptr,
    input  wire [10:0]               start_len,
    output wire                      done,

    /*
     * Receive buffer read port (one cycle latency)
     */
    output wire                      buf_rd_en,
    output wire [BUF_ADDR_WIDTH-1:0] buf_rd_addr,
    input  wire [63:0]               buf_rd_data,

    /*
     * TLP output
     */
    output wire [63:0]               m_tlp_data,
    output wire [1:0]                m_tlp_strb,
    output wire [127:0]              m_tlp_hdr,
    output wire                      m_tlp_valid,
    output wire                      m_tlp_sop,
    output wire                      m_tlp_eop,
    input  wire                      m_tlp_ready,

    /*
     * Statistics: one pulse per TLP
     */
    output wire                      stat_tlp
);

localparam [1:0]
    P_HDR = 2'd0,
    P_DATA = 2'd1,
    P_DIGEST = 2'd2;

reg busy_reg, busy_next;
reg [BUF_ADDR_WIDTH-1:0] rd_addr_reg, rd_addr_next;
reg [8:0] rd_left_reg, rd_left_next;     // words still to read
reg rd_inflight_reg;                      // a read returns this cycle
reg [9:0] dw_left_reg, dw_left_next;     // dwords still to process
reg lp_reg, lp_next;                     // lane of the next dword in the head word
reg [1:0] phase_reg, phase_next;
reg [1:0] hidx_reg, hidx_next;           // header dword index
reg [10:0] data_left_reg, data_left_next;
reg td_reg, td_next;
reg first_reg, first_next;               // the next beat starts the TLP
reg [127:0] hdr_reg, hdr_next;           // header being assembled
reg held_reg, held_next;                 // a data dword waits in held_dw
reg [31:0] held_dw_reg, held_dw_next;
reg done_reg, done_next;
reg stat_tlp_reg, stat_tlp_next;

reg [63:0] out_data_reg, out_data_next;
reg [1:0] out_strb_reg, out_strb_next;
reg [127:0] out_hdr_reg, out_hdr_next;
reg out_valid_reg, out_valid_next;
reg out_sop_reg, out_sop_next;
reg out_eop_reg, out_eop_next;

reg rd_en;
reg pop;

wire [63:0] fifo_data;
wire fifo_valid;
wire [3:0] fifo_count;
wire fifo_in_ready;

assign start_ready = !busy_reg;
assign done = done_reg;
assign buf_rd_en = rd_en;
assign buf_rd_addr = rd_addr_reg;
assign m_tlp_data = out_data_reg;
assign m_tlp_strb = out_strb_reg;
assign m_tlp_hdr = out_hdr_reg;
assign m_tlp_valid = out_valid_reg;
assign m_tlp_sop = out_sop_reg;
assign m_tlp_eop = out_eop_reg;
assign stat_tlp = stat_tlp_reg;

// prefetch FIFO of buffer words
peb_fifo #(
    .WIDTH(64),
    .ADDR_WIDTH(2)
)
prefetch_inst (
    .clk(clk),
    .rst(rst),
    .in_data(buf_rd_data),
    .in_valid(rd_inflight_reg),
    .in_ready(fifo_in_ready),
    .out_data(fifo_data),
    .out_valid(fifo_valid),
    .out_ready(pop),
    .count(fifo_count)
);

function [31:0] be32;
    input [31:0] w;
    begin
        be32 = {w[7:0], w[15:8], w[23:16], w[31:24]};
    end
endfunction

integer lane;
reg [31:0] dw;
reg [31:0] dwv;
reg emit;
reg can_go;
reg [10:0] dlen;

always @* begin
    busy_next = busy_reg;
    rd_addr_next = rd_addr_reg;
    rd_left_next = rd_left_reg;
    dw_left_next = dw_left_reg;
    lp_next = lp_reg;
    phase_next = phase_reg;
    hidx_next = hidx_reg;
    data_left_next = data_left_reg;
    td_next = td_reg;
    first_next = first_reg;
    hdr_next = hdr_reg;
    held_next = held_reg;
    held_dw_next = held_dw_reg;
    done_next = 1'b0;
    stat_tlp_next = 1'b0;
    out_data_next = out_data_reg;
    out_strb_next = out_strb_reg;
    out_hdr_next = out_hdr_reg;
    out_valid_next = out_valid_reg && !m_tlp_ready;
    out_sop_next = out_sop_reg;
    out_eop_next = out_eop_reg;
    rd_en = 1'b0;
    pop = 1'b0;
    dw = 32'd0;
    dwv = 32'd0;
    emit = 1'b0;
    dlen = 11'd0;

    if (start_valid && !busy_reg) begin
        busy_next = 1'b1;
        rd_addr_next = start_ptr;
        rd_left_next = {1'b0, start_len[10:3]} + {8'd0, start_len[2:0] != 3'd0};
        dw_left_next = {1'b0, start_len[10:2]};
        lp_next = 1'b0;
        phase_next = P_HDR;
        hidx_next = 2'd0;
        held_next = 1'b0;
    end

    // read ahead while the FIFO has room for what is in flight
    if (busy_reg && rd_left_reg != 9'd0 &&
        fifo_count + {3'd0, rd_inflight_reg} < 4'd4) begin
        rd_en = 1'b1;
        rd_addr_next = rd_addr_reg + 1'b1;
        rd_left_next = rd_left_reg - 9'd1;
    end

    // process the dwords of the head word when the output can take a beat
    can_go = busy_reg && fifo_valid && (!out_valid_reg || m_tlp_ready);
    if (can_go) begin
        for (lane = 0; lane < 2; lane = lane + 1) begin
            if (dw_left_next != 10'd0 && (lane != 0 || !lp_reg) && !emit) begin
                dw = fifo_data[lane*32 +: 32];
                dwv = be32(dw);
                dw_left_next = dw_left_next - 10'd1;
                case (phase_next)
                    P_HDR: begin
                        case (hidx_next)
                            2'd0: hdr_next = {dwv & 32'hffff7fff, 96'd0};
                            2'd1: hdr_next[95:64] = dwv;
                            2'd2: hdr_next[63:32] = dwv;
                            default: hdr_next[31:0] = dwv;
                        endcase
                        if (hidx_next == 2'd0) begin
                            td_next = dwv[15];
                        end
                        if (hidx_next == (hdr_next[125] ? 2'd3 : 2'd2)) begin
                            // header complete
                            stat_tlp_next = 1'b1;
                            first_next = 1'b1;
                            hidx_next = 2'd0;
                            dlen = (hdr_next[105:96] == 10'd0) ? 11'd1024 : {1'b0, hdr_next[105:96]};
                            if (hdr_next[126]) begin
                                phase_next = P_DATA;
                                data_left_next = dlen;
                            end else begin
                                // header only: one beat, no data
                                emit = 1'b1;
                                out_data_next = 64'd0;
                                out_strb_next = 2'b00;
                                out_hdr_next = hdr_next;
                                out_sop_next = 1'b1;
                                out_eop_next = 1'b1;
                                phase_next = td_next ? P_DIGEST : P_HDR;
                            end
                        end else begin
                            hidx_next = hidx_next + 2'd1;
                        end
                    end
                    P_DATA: begin
                        data_left_next = data_left_next - 11'd1;
                        if (held_next) begin
                            emit = 1'b1;
                            held_next = 1'b0;
                            out_data_next = {dw, held_dw_next};
                            out_strb_next = 2'b11;
                        end else if (data_left_next == 11'd0) begin
                            emit = 1'b1;
                            out_data_next = {32'd0, dw};
                            out_strb_next = 2'b01;
                        end else begin
                            held_next = 1'b1;
                            held_dw_next = dw;
                        end
                        if (emit) begin
                            out_hdr_next = hdr_next;
                            out_sop_next = first_next;
                            out_eop_next = data_left_next == 11'd0;
                            first_next = 1'b0;
                            if (data_left_next == 11'd0) begin
                                phase_next = td_next ? P_DIGEST : P_HDR;
                            end
                        end
                    end
                    default: begin
                        // the digest: carried, not forwarded
                        phase_next = P_HDR;
                    end
                endcase
                if (lane == 0) begin
                    lp_next = 1'b1;
                end else begin
                    lp_next = 1'b0;
                end
            end
        end
        // the head word is used up when both lanes are, or the payload is
        if (lp_next == 1'b0 || dw_left_next == 10'd0) begin
            pop = 1'b1;
            lp_next = 1'b0;
        end
        if (emit) begin
            out_valid_next = 1'b1;
        end
        if (dw_left_next == 10'd0) begin
            busy_next = 1'b0;
            done_next = 1'b1;
        end
    end
end

always @(posedge clk) begin
    busy_reg <= busy_next;
    rd_addr_reg <= rd_addr_next;
    rd_left_reg <= rd_left_next;
    rd_inflight_reg <= rd_en;
    dw_left_reg <= dw_left_next;
    lp_reg <= lp_next;
    phase_reg <= phase_next;
    hidx_reg <= hidx_next;
    data_left_reg <= data_left_next;
    td_reg <= td_next;
    first_reg <= first_next;
    hdr_reg <= hdr_next;
    held_reg <= held_next;
    held_dw_reg <= held_dw_next;
    done_reg <= done_next;
    stat_tlp_reg <= stat_tlp_next;
    out_data_reg <= out_data_next;
    out_strb_reg <= out_strb_next;
    out_hdr_reg <= out_hdr_next;
    out_valid_reg <= out_valid_next;
    out_sop_reg <= out_sop_next;
    out_eop_reg <= out_eop_next;

    if (rst) begin
        busy_reg <= 1'b0;
        rd_left_reg <= 9'd0;
        rd_inflight_reg <= 1'b0;
        dw_left_reg <= 10'd0;
        lp_reg <= 1'b0;
        phase_reg <= P_HDR;
        hidx_reg <= 2'd0;
        held_reg <= 1'b0;
        done_reg <= 1'b0;
        stat_tlp_reg <= 1'b0;
        out_valid_reg <= 1'b0;
    end
end

wire _unused_ok = &{1'b0, fifo_in_ready};

endmodule

`resetall
