// SPDX-License-Identifier: GPL-2.0
/*
 * expether PEB bench (Icarus): the receive path -- peb_eth_rx, the
 * receive buffer and peb_decap -- fed the byte-exact example frames of
 * Documentation/expether/protocol.rst (net/expether/ee_vectors.h), twice:
 * with idle cycles between frames and back to back.  vecgen computes,
 * with the shared codec, what must come out of each: nothing (not ours),
 * a malformed frame of a given ee_err code, a descriptor with the
 * header's fields, the TLPs for the device (header sideband and data),
 * a MGMT frame, a bad DIF.
 *
 * Prints "tb_rx: N passed, M failed".
 */

`resetall
`timescale 1ns / 1ps
`default_nettype none

module tb_rx;

reg clk = 1'b0;
reg rst = 1'b1;
always #5 clk = ~clk;

reg [47:0] cfg_mac = 48'd0;
reg [11:0] cfg_gid = 12'd5;

reg [63:0] s_tdata = 64'd0;
reg [7:0] s_tkeep = 8'd0;
reg s_tvalid = 1'b0;
reg s_tlast = 1'b0;
wire s_tready;

wire buf_wr_en;
wire [9:0] buf_wr_addr;
wire [63:0] buf_wr_data;
reg [10:0] buf_rd_ptr = 11'd0;
wire desc_valid;
reg desc_ready = 1'b0;
wire [1:0] desc_kind;
wire [5:0] desc_flags;
wire [10:0] desc_len;
wire [31:0] desc_seq, desc_ack, desc_tsval, desc_tsecr;
wire [47:0] desc_src;
wire [9:0] desc_ptr;
wire mgmt_wr_en, mgmt_valid;
wire [2:0] mgmt_wr_addr;
wire [63:0] mgmt_wr_data;
wire st_frame, st_malformed, st_wrong_gid, st_overflow, st_bad_fcs, st_bad_dif, st_ignored;
wire [3:0] st_err;

reg dc_valid = 1'b0;
wire dc_ready, dc_done;
reg [9:0] dc_ptr = 10'd0;
reg [10:0] dc_len = 11'd0;
wire dc_rd_en;
wire [9:0] dc_rd_addr;
wire [63:0] rd_data;
wire [63:0] t_data;
wire [1:0] t_strb;
wire [127:0] t_hdr;
wire t_valid, t_sop, t_eop, t_stat;
reg t_ready = 1'b1;

peb_eth_rx #(.BUF_ADDR_WIDTH(10), .DESC_ADDR_WIDTH(3)) dut (
    .clk(clk), .rst(rst),
    .cfg_enable(1'b1), .cfg_mac(cfg_mac), .cfg_gid(cfg_gid), .cfg_ethertype(16'h88b5),
    .s_axis_tdata(s_tdata), .s_axis_tkeep(s_tkeep), .s_axis_tvalid(s_tvalid),
    .s_axis_tready(s_tready), .s_axis_tlast(s_tlast), .s_axis_tuser(1'b0),
    .buf_wr_en(buf_wr_en), .buf_wr_addr(buf_wr_addr), .buf_wr_data(buf_wr_data),
    .buf_rd_ptr(buf_rd_ptr),
    .desc_valid(desc_valid), .desc_ready(desc_ready), .desc_kind(desc_kind),
    .desc_flags(desc_flags), .desc_len(desc_len), .desc_seq(desc_seq),
    .desc_ack(desc_ack), .desc_tsval(desc_tsval), .desc_tsecr(desc_tsecr),
    .desc_src(desc_src), .desc_ptr(desc_ptr),
    .mgmt_wr_en(mgmt_wr_en), .mgmt_wr_addr(mgmt_wr_addr), .mgmt_wr_data(mgmt_wr_data),
    .mgmt_valid(mgmt_valid), .mgmt_busy(1'b0),
    .stat_frame(st_frame), .stat_malformed(st_malformed), .stat_err(st_err),
    .stat_wrong_gid(st_wrong_gid), .stat_overflow(st_overflow), .stat_bad_fcs(st_bad_fcs),
    .stat_bad_dif(st_bad_dif), .stat_ignored(st_ignored)
);

peb_ram_sdp #(.DATA_WIDTH(64), .ADDR_WIDTH(10)) rxbuf (
    .clk(clk), .wr_en(buf_wr_en), .wr_addr(buf_wr_addr), .wr_data(buf_wr_data),
    .rd_en(dc_rd_en), .rd_addr(dc_rd_addr), .rd_data(rd_data)
);

peb_decap #(.BUF_ADDR_WIDTH(10)) decap (
    .clk(clk), .rst(rst),
    .start_valid(dc_valid), .start_ready(dc_ready), .start_ptr(dc_ptr), .start_len(dc_len),
    .done(dc_done), .buf_rd_en(dc_rd_en), .buf_rd_addr(dc_rd_addr), .buf_rd_data(rd_data),
    .m_tlp_data(t_data), .m_tlp_strb(t_strb), .m_tlp_hdr(t_hdr), .m_tlp_valid(t_valid),
    .m_tlp_sop(t_sop), .m_tlp_eop(t_eop), .m_tlp_ready(t_ready), .stat_tlp(t_stat)
);

// ---- the vectors ----
localparam NV = 32;
localparam MAXB = 128;
reg [8*16-1:0] v_name[0:NV-1];
reg [47:0] v_mac[0:NV-1];
reg [11:0] v_gid[0:NV-1];
integer v_verdict[0:NV-1];
reg [5:0] v_flags[0:NV-1];
reg [10:0] v_len[0:NV-1];
reg [31:0] v_seq[0:NV-1], v_ack[0:NV-1], v_tsval[0:NV-1], v_tsecr[0:NV-1], v_epoch[0:NV-1];
reg [47:0] v_src[0:NV-1];
integer v_nbytes[0:NV-1];
reg [7:0] v_bytes[0:NV*MAXB-1];
integer v_ntlp[0:NV-1];
reg [127:0] v_thdr[0:NV*4-1];
integer v_tdw[0:NV*4-1];
reg [7:0] v_tdata[0:NV*4*64-1];
integer nv;

integer pass = 0, fail = 0;

task check(input ok, input [8*64-1:0] what);
    begin
        if (ok) pass = pass + 1;
        else begin
            fail = fail + 1;
            $display("not ok - %0s", what);
        end
    end
endtask

task load;
    integer fd, i, j, k, r, x, mh, ml, sh, sl, verdict, nbytes, ntlp, tdw;
    reg [8*16-1:0] name;
    reg [31:0] gid, flags, len, seq, ack, tsval, tsecr, epoch;
    reg [127:0] thdr;
    begin
        fd = $fopen("build/rx.vec", "r");
        if (fd == 0) begin
            $display("tb_rx: cannot open build/rx.vec");
            $finish;
        end
        r = $fscanf(fd, "%d", nv);
        for (i = 0; i < nv; i = i + 1) begin
            r = $fscanf(fd, "%s %h %h %h %d %h %h %h %h %h %h %h %h %h %d",
                        name, mh, ml, gid, verdict, flags, len,
                        seq, ack, tsval, tsecr, sh, sl, epoch, nbytes);
            v_name[i] = name;
            v_gid[i] = gid[11:0];
            v_verdict[i] = verdict;
            v_flags[i] = flags[5:0];
            v_len[i] = len[10:0];
            v_seq[i] = seq;
            v_ack[i] = ack;
            v_tsval[i] = tsval;
            v_tsecr[i] = tsecr;
            v_epoch[i] = epoch;
            v_nbytes[i] = nbytes;
            v_mac[i] = {mh[15:0], ml[31:0]};
            v_src[i] = {sh[15:0], sl[31:0]};
            for (j = 0; j < nbytes; j = j + 1) begin
                r = $fscanf(fd, "%h", x);
                v_bytes[i*MAXB + j] = x[7:0];
            end
            r = $fscanf(fd, "%d", ntlp);
            v_ntlp[i] = ntlp;
            for (k = 0; k < ntlp; k = k + 1) begin
                r = $fscanf(fd, "%h %d", thdr, tdw);
                v_thdr[i*4 + k] = thdr;
                v_tdw[i*4 + k] = tdw;
                for (j = 0; j < tdw * 4; j = j + 1) begin
                    r = $fscanf(fd, "%h", x);
                    v_tdata[(i*4 + k)*64 + j] = x[7:0];
                end
            end
        end
        $fclose(fd);
    end
endtask

// ---- what came out ----
// outcomes: one per frame that raised a statistic
reg [15:0] out_ev[0:255];
integer n_ev;
// descriptors
reg [1:0] d_kind[0:255];
reg [5:0] d_flags[0:255];
reg [10:0] d_len[0:255];
reg [31:0] d_seq[0:255], d_ack[0:255], d_tsval[0:255], d_tsecr[0:255];
reg [47:0] d_src[0:255];
integer n_desc;
// TLPs
reg [127:0] o_hdr[0:255];
integer o_dw[0:255];
reg [7:0] o_data[0:255*64];
integer n_tlp;
integer n_mgmt;

wire [15:0] ev = {st_frame, st_malformed, st_err, st_wrong_gid, st_overflow, st_bad_dif,
                  st_ignored, mgmt_valid, 5'd0};

always @(posedge clk) begin
    if (ev != 16'd0) begin
        out_ev[n_ev] <= ev;
        n_ev <= n_ev + 1;
    end
    if (mgmt_valid) n_mgmt <= n_mgmt + 1;
end

// the consumer: take descriptors, decapsulate TLP frames, release
reg [1:0] cstate = 2'd0;
always @(posedge clk) begin
    desc_ready <= 1'b0;
    dc_valid <= 1'b0;
    case (cstate)
        2'd0: if (desc_valid && !desc_ready) begin
            desc_ready <= 1'b1;
            d_kind[n_desc] <= desc_kind;
            d_flags[n_desc] <= desc_flags;
            d_len[n_desc] <= desc_len;
            d_seq[n_desc] <= desc_seq;
            d_ack[n_desc] <= desc_ack;
            d_tsval[n_desc] <= desc_tsval;
            d_tsecr[n_desc] <= desc_tsecr;
            d_src[n_desc] <= desc_src;
            n_desc <= n_desc + 1;
            if (desc_kind == 2'd0 || desc_kind == 2'd3) begin
                dc_ptr <= desc_ptr;
                dc_len <= desc_len;
                if (desc_kind == 2'd0) begin
                    dc_valid <= 1'b1;
                    cstate <= 2'd1;
                end else begin
                    buf_rd_ptr <= buf_rd_ptr + {3'd0, desc_len[10:3]} + {10'd0, desc_len[2:0] != 3'd0};
                end
            end
        end
        2'd1: begin
            if (dc_done) begin
                buf_rd_ptr <= buf_rd_ptr + {3'd0, dc_len[10:3]} + {10'd0, dc_len[2:0] != 3'd0};
                cstate <= 2'd0;
            end
        end
        default: cstate <= 2'd0;
    endcase
end

integer ob;
always @(posedge clk) begin
    if (t_valid && t_ready) begin
        if (t_sop) begin
            o_hdr[n_tlp] <= t_hdr;
            ob = 0;
        end
        if (t_strb[0]) begin
            o_data[n_tlp*64 + ob] <= t_data[7:0];
            o_data[n_tlp*64 + ob + 1] <= t_data[15:8];
            o_data[n_tlp*64 + ob + 2] <= t_data[23:16];
            o_data[n_tlp*64 + ob + 3] <= t_data[31:24];
            ob = ob + 4;
        end
        if (t_strb[1]) begin
            o_data[n_tlp*64 + ob] <= t_data[39:32];
            o_data[n_tlp*64 + ob + 1] <= t_data[47:40];
            o_data[n_tlp*64 + ob + 2] <= t_data[55:48];
            o_data[n_tlp*64 + ob + 3] <= t_data[63:56];
            ob = ob + 4;
        end
        if (t_eop) begin
            o_dw[n_tlp] <= ob / 4;
            n_tlp <= n_tlp + 1;
        end
    end
end

task send_frame(input integer i, input integer gap);
    integer j, b;
    begin
        for (j = 0; j < v_nbytes[i]; j = j + 8) begin
            s_tdata = 64'd0;
            s_tkeep = 8'd0;
            for (b = 0; b < 8; b = b + 1) begin
                if (j + b < v_nbytes[i]) begin
                    s_tdata[b*8 +: 8] = v_bytes[i*MAXB + j + b];
                    s_tkeep[b] = 1'b1;
                end
            end
            s_tvalid = 1'b1;
            s_tlast = (j + 8 >= v_nbytes[i]);
            @(posedge clk);
            #1;
        end
        s_tvalid = 1'b0;
        s_tlast = 1'b0;
        for (b = 0; b < gap; b = b + 1) begin
            @(posedge clk);
            #1;
        end
    end
endtask

// the outcome a verdict must raise (0: none)
function [15:0] expect_ev(input integer verdict);
    begin
        expect_ev = 16'd0;
        case (verdict)
            1, 2, 4: expect_ev = 16'h8000;
            5: expect_ev = 16'h8000 | 16'h0020;
            6: expect_ev = 16'h8000 | 16'h0040;
            7: expect_ev = 16'h0080;
            default: begin
                if (verdict >= 16) expect_ev = 16'h8000 | 16'h4000 | ((verdict - 16) << 10);
            end
        endcase
    end
endfunction

integer i, k, j, e_ev, e_desc, e_tlp, run, gap, ok;
reg [8*64-1:0] msg;

initial begin
    load;
    repeat (4) @(posedge clk);
    #1 rst = 1'b0;
    for (run = 0; run < 2; run = run + 1) begin
        gap = run == 0 ? 3 : 0;
        n_ev = 0; n_desc = 0; n_tlp = 0; n_mgmt = 0;
        // one configuration per run: the I/O bridge's MAC, group 5; the
        // frames addressed to the host MAC and the MGMT frame in group
        // 4093 are checked alone below
        for (i = 0; i < nv; i = i + 1) begin
            if (v_mac[i] == 48'h02ee00000001 && v_gid[i] == 12'd5) begin
                cfg_mac = v_mac[i];
                cfg_gid = v_gid[i];
                send_frame(i, gap);
            end
        end
        repeat (200) @(posedge clk);
        #1;
        e_ev = 0; e_desc = 0; e_tlp = 0;
        for (i = 0; i < nv; i = i + 1) begin
            if (v_mac[i] == 48'h02ee00000001 && v_gid[i] == 12'd5) begin
                if (expect_ev(v_verdict[i]) != 16'd0) begin
                    $sformat(msg, "%0s (gap %0d): outcome %h, expected %h", v_name[i], gap,
                             out_ev[e_ev], expect_ev(v_verdict[i]));
                    check(e_ev < n_ev && out_ev[e_ev] == expect_ev(v_verdict[i]), msg);
                    e_ev = e_ev + 1;
                end
                if (v_verdict[i] >= 1 && v_verdict[i] <= 4) begin
                    ok = e_desc < n_desc && d_kind[e_desc] == v_verdict[i] - 1 &&
                         d_src[e_desc] == v_src[i] &&
                         (v_verdict[i] == 3 ? d_seq[e_desc] == v_epoch[i] :
                          d_flags[e_desc] == v_flags[i] && d_len[e_desc] == v_len[i] &&
                          d_seq[e_desc] == v_seq[i] && d_ack[e_desc] == v_ack[i] &&
                          d_tsval[e_desc] == v_tsval[i] && d_tsecr[e_desc] == v_tsecr[i]);
                    $sformat(msg, "%0s (gap %0d): descriptor fields", v_name[i], gap);
                    check(ok, msg);
                    e_desc = e_desc + 1;
                end
                for (k = 0; k < v_ntlp[i]; k = k + 1) begin
                    ok = e_tlp < n_tlp && o_hdr[e_tlp] == v_thdr[i*4 + k] &&
                         o_dw[e_tlp] == v_tdw[i*4 + k];
                    for (j = 0; ok && j < v_tdw[i*4 + k] * 4; j = j + 1) begin
                        if (o_data[e_tlp*64 + j] != v_tdata[(i*4 + k)*64 + j]) ok = 0;
                    end
                    $sformat(msg, "%0s (gap %0d): TLP %0d to the device (hdr %h)", v_name[i], gap,
                             k, e_tlp < n_tlp ? o_hdr[e_tlp] : 128'd0);
                    check(ok, msg);
                    e_tlp = e_tlp + 1;
                end
            end
        end
        $sformat(msg, "gap %0d: %0d outcomes (%0d expected), %0d descriptors (%0d), %0d TLPs (%0d)",
                 gap, n_ev, e_ev, n_desc, e_desc, n_tlp, e_tlp);
        check(n_ev == e_ev && n_desc == e_desc && n_tlp == e_tlp, msg);
    end

    // each remaining vector alone, with the MAC and group it is addressed to
    for (i = 0; i < nv; i = i + 1) begin
        if (!(v_mac[i] == 48'h02ee00000001 && v_gid[i] == 12'd5)) begin
            n_ev = 0; n_desc = 0; n_tlp = 0; n_mgmt = 0;
            cfg_mac = v_mac[i];
            cfg_gid = v_gid[i];
            send_frame(i, 3);
            repeat (100) @(posedge clk);
            #1;
            $sformat(msg, "%0s alone: outcome %h, expected %h", v_name[i],
                     n_ev ? out_ev[0] : 16'd0, expect_ev(v_verdict[i]));
            check(expect_ev(v_verdict[i]) == 16'd0 ? n_ev == 0 : n_ev == 1 && out_ev[0] == expect_ev(v_verdict[i]), msg);
            $sformat(msg, "%0s alone: %0d TLPs, %0d expected", v_name[i], n_tlp, v_ntlp[i]);
            ok = n_tlp == v_ntlp[i];
            for (k = 0; ok && k < v_ntlp[i]; k = k + 1) begin
                if (o_hdr[k] != v_thdr[i*4 + k] || o_dw[k] != v_tdw[i*4 + k]) ok = 0;
                for (j = 0; ok && j < v_tdw[i*4 + k] * 4; j = j + 1) begin
                    if (o_data[k*64 + j] != v_tdata[(i*4 + k)*64 + j]) ok = 0;
                end
            end
            check(ok, msg);
        end
    end

    $display("tb_rx: %0d passed, %0d failed", pass, fail);
    $finish;
end

endmodule

`resetall
