// SPDX-License-Identifier: GPL-2.0
/*
 * expether PEB: when a DIF is due.  Every interval_ms while enabled, and
 * at once when the bridge starts, its GID changes or it takes a new epoch
 * (now).  dif_req stays high until dif_sent.
 */

// Language: Verilog 2001

`resetall
`timescale 1ns / 1ps
`default_nettype none

module peb_dif_timer
(
    input  wire        clk,
    input  wire        rst,

    input  wire        enable,
    input  wire [15:0] interval_ms,
    input  wire [31:0] now_us,
    input  wire        now,

    output wire        dif_req,
    input  wire        dif_sent
);

reg [31:0] next_reg, next_next;
reg due_reg, due_next;
reg enable_reg;

// serial comparison: now_us has reached next_reg
wire reached = ((now_us - next_reg) & 32'h80000000) == 32'd0;
// interval_ms * 1000 = * 1024 - * 16 - * 8
wire [31:0] ival_us = ({16'd0, interval_ms} << 10) - ({16'd0, interval_ms} << 4) -
                      ({16'd0, interval_ms} << 3);

assign dif_req = enable && (due_reg || reached);

always @* begin
    next_next = next_reg;
    due_next = due_reg;
    if (now || (enable && !enable_reg)) begin
        due_next = 1'b1;
    end
    if (dif_sent) begin
        due_next = 1'b0;
        next_next = now_us + ival_us;
    end else if (!enable) begin
        // keep the schedule in range while idle
        next_next = now_us + ival_us;
    end
end

always @(posedge clk) begin
    next_reg <= next_next;
    due_reg <= due_next;
    enable_reg <= enable;

    if (rst) begin
        next_reg <= 32'd0;
        due_reg <= 1'b0;
        enable_reg <= 1'b0;
    end
end

endmodule

`resetall
