// SPDX-License-Identifier: GPL-2.0
/*
 * expether PEB: the bridge's clock.  now_us is the microsecond clock of
 * the timestamps (tsval), now_ns = now_us * 1000 the nanosecond clock of
 * the Go-Back-N timers (peb_gbn).
 *
 * With CLK_PERIOD_PS set, the clock counts itself from clk (a picosecond
 * accumulator: exact for any integer period, e.g. 6400 for 156.25 MHz).
 * ext_inc_us adds microseconds from outside in any cycle: a PTP clock, or
 * a simulation that runs in real time (the co-simulation sets
 * CLK_PERIOD_PS = 0 and drives it from the host's clock).
 */

// Language: Verilog 2001

`resetall
`timescale 1ns / 1ps
`default_nettype none

module peb_timebase #
(
    // clock period in picoseconds, 0: ext_inc_us only
    parameter CLK_PERIOD_PS = 6400
)
(
    input  wire        clk,
    input  wire        rst,
    input  wire [7:0]  ext_inc_us,
    output wire [31:0] now_us,
    output wire [47:0] now_ns
);

localparam [19:0] PERIOD = CLK_PERIOD_PS;
localparam [19:0] ONE_US = 20'd1000000;

reg [19:0] acc_reg, acc_next;
reg [31:0] us_reg, us_next;
reg [47:0] ns_reg, ns_next;
reg [8:0] inc;

assign now_us = us_reg;
assign now_ns = ns_reg;

always @* begin
    acc_next = acc_reg;
    inc = {1'b0, ext_inc_us};
    if (PERIOD != 20'd0) begin
        if (acc_reg + PERIOD >= ONE_US) begin
            acc_next = acc_reg + PERIOD - ONE_US;
            inc = inc + 9'd1;
        end else begin
            acc_next = acc_reg + PERIOD;
        end
    end
    us_next = us_reg + {23'd0, inc};
    // inc * 1000 = inc * 1024 - inc * 16 - inc * 8
    ns_next = ns_reg + ({39'd0, inc} << 10) - ({39'd0, inc} << 4) - ({39'd0, inc} << 3);
end

always @(posedge clk) begin
    acc_reg <= acc_next;
    us_reg <= us_next;
    ns_reg <= ns_next;

    if (rst) begin
        acc_reg <= 20'd0;
        us_reg <= 32'd0;
        ns_reg <= 48'd0;
    end
end

endmodule

`resetall
