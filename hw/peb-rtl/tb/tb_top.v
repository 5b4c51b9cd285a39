// SPDX-License-Identifier: GPL-2.0
/*
 * expether PEB bench (Icarus): the whole bridge (peb_top) at 156.25 MHz,
 * driven with the byte-exact example frames of protocol.rst
 * (net/expether/ee_vectors.h, prepared by vecgen top):
 *
 * - configured as the I/O bridge of dif_io, its first DIF equals dif_io;
 * - the host of dif_host binds it (status, host epoch);
 * - cfgrd0, in the sequence numbers of this connection, reaches the
 *   device as its TLP (header sideband, no data);
 * - the device's CplD (cpld's TLP) leaves as cpld's frame, with the
 *   sequence number and ack of this connection (tsval aside);
 * - an ECHO request comes back as its reply;
 * - mgmt_set_gid moves the bridge from group 4093 to 5 with the example
 *   key (HMAC-SHA256 verified in RTL), a DIF in group 5 follows; a replay
 *   and damaged copies (HMAC, signed bytes, target MAC and ID) are refused
 *   with the right reason and change nothing.
 *
 * Prints "tb_top: N passed, M failed".
 */

`resetall
`timescale 1ns / 1ps
`default_nettype none

module tb_top;

reg clk = 1'b0;
reg rst = 1'b1;
always #3.2 clk = ~clk;

reg [31:0] init_epoch = 32'd0;
reg [63:0] s_tdata = 64'd0;
reg [7:0] s_tkeep = 8'd0;
reg s_tvalid = 1'b0, s_tlast = 1'b0;
wire s_tready;
wire [63:0] m_tdata;
wire [7:0] m_tkeep;
wire m_tvalid, m_tlast, m_tuser;
reg m_tready = 1'b1;
wire [63:0] dv_data;
wire [1:0] dv_strb;
wire [127:0] dv_hdr;
wire dv_valid, dv_sop, dv_eop;
reg dv_ready = 1'b1;
reg [63:0] di_data = 64'd0;
reg [1:0] di_strb = 2'd0;
reg [127:0] di_hdr = 128'd0;
reg di_valid = 1'b0, di_sop = 1'b0, di_eop = 1'b0;
wire di_ready;
reg [11:0] csr_addr = 12'd0;
reg csr_wr_en = 1'b0, csr_rd_en = 1'b0;
reg [31:0] csr_wr_data = 32'd0;
wire [31:0] csr_rd_data;
wire busy;

peb_top #(.CLK_PERIOD_PS(6400)) dut (
    .clk(clk), .rst(rst), .ext_inc_us(8'd0), .init_epoch(init_epoch),
    .s_axis_tdata(s_tdata), .s_axis_tkeep(s_tkeep), .s_axis_tvalid(s_tvalid),
    .s_axis_tready(s_tready), .s_axis_tlast(s_tlast), .s_axis_tuser(1'b0),
    .m_axis_tdata(m_tdata), .m_axis_tkeep(m_tkeep), .m_axis_tvalid(m_tvalid),
    .m_axis_tready(m_tready), .m_axis_tlast(m_tlast), .m_axis_tuser(m_tuser),
    .m_dev_tlp_data(dv_data), .m_dev_tlp_strb(dv_strb), .m_dev_tlp_hdr(dv_hdr),
    .m_dev_tlp_valid(dv_valid), .m_dev_tlp_sop(dv_sop), .m_dev_tlp_eop(dv_eop),
    .m_dev_tlp_ready(dv_ready),
    .s_dev_tlp_data(di_data), .s_dev_tlp_strb(di_strb), .s_dev_tlp_hdr(di_hdr),
    .s_dev_tlp_valid(di_valid), .s_dev_tlp_sop(di_sop), .s_dev_tlp_eop(di_eop),
    .s_dev_tlp_ready(di_ready),
    .csr_addr(csr_addr), .csr_wr_en(csr_wr_en), .csr_wr_data(csr_wr_data),
    .csr_rd_en(csr_rd_en), .csr_rd_data(csr_rd_data),
    .busy(busy)
);

integer pass = 0, fail = 0;
reg [8*96-1:0] msg;

task check(input ok, input [8*96-1:0] what);
    begin
        if (ok) pass = pass + 1;
        else begin
            fail = fail + 1;
            $display("not ok - %0s", what);
        end
    end
endtask

// ---- vectors: frames in a flat byte memory ----
localparam MAXF = 16;
localparam MAXB = 256;
reg [7:0] fb[0:MAXF*MAXB-1];
integer flen[0:MAXF-1];
integer fd, r;

task read_frame(input integer k);
    integer j, x;
    begin
        r = $fscanf(fd, "%d", flen[k]);
        for (j = 0; j < flen[k]; j = j + 1) begin
            r = $fscanf(fd, "%h", x);
            fb[k*MAXB + j] = x[7:0];
        end
    end
endtask

reg [127:0] tlp_hdr[0:1];
integer tlp_dlen[0:1];
reg [7:0] tlp_data[0:2*64-1];

task read_tlp(input integer k);
    integer j, x;
    reg [127:0] h;
    begin
        r = $fscanf(fd, "%h %d", h, tlp_dlen[k]);
        tlp_hdr[k] = h;
        for (j = 0; j < tlp_dlen[k]; j = j + 1) begin
            r = $fscanf(fd, "%h", x);
            tlp_data[k*64 + j] = x[7:0];
        end
    end
endtask

localparam F_DIF_IO = 0, F_DIF_HOST = 1, F_REQ = 2, F_REPLY = 3, F_ECHO = 4, F_ECHO_REPLY = 5,
           F_MGMT = 6;
reg [31:0] id_mac_hi, id_mac_lo, id_gid, id_ethertype, id_bid_hi, id_bid_lo, id_epoch;
reg [31:0] id_dev, id_class, id_subsys;
integer id_interval, id_present;
reg [255:0] mgmt_key;
reg [31:0] gid_before, gid_after;
integer nvar;
reg [8*16-1:0] var_name[0:7];
integer var_result[0:7];

task load;
    integer k, res;
    reg [8*16-1:0] name;
    begin
        fd = $fopen("build/top.vec", "r");
        if (fd == 0) begin
            $display("tb_top: cannot open build/top.vec");
            $finish;
        end
        r = $fscanf(fd, "%h %h %h %h %d %h %h %h %h %h %h %d", id_mac_hi, id_mac_lo, id_gid,
                    id_ethertype, id_interval, id_bid_hi, id_bid_lo, id_epoch, id_dev,
                    id_class, id_subsys, id_present);
        read_frame(F_DIF_IO);
        read_frame(F_DIF_HOST);
        read_frame(F_REQ);
        read_tlp(0);
        read_tlp(1);
        read_frame(F_REPLY);
        read_frame(F_ECHO);
        read_frame(F_ECHO_REPLY);
        r = $fscanf(fd, "%h %h %h %d", mgmt_key, gid_before, gid_after, nvar);
        for (k = 0; k < nvar; k = k + 1) begin
            r = $fscanf(fd, "%s %d", name, res);
            var_name[k] = name;
            var_result[k] = res;
            read_frame(F_MGMT + k);
        end
        $fclose(fd);
    end
endtask

// ---- registers ----
task csr_write(input [11:0] a, input [31:0] d);
    begin
        @(negedge clk);
        csr_addr = a;
        csr_wr_data = d;
        csr_wr_en = 1'b1;
        @(negedge clk);
        csr_wr_en = 1'b0;
    end
endtask

task csr_read(input [11:0] a, output [31:0] d);
    begin
        @(negedge clk);
        csr_addr = a;
        csr_rd_en = 1'b1;
        @(negedge clk);
        csr_rd_en = 1'b0;
        d = csr_rd_data;
    end
endtask

// ---- frames out of the bridge ----
reg [7:0] ob[0:64*2048-1];
integer olen[0:63];
integer nout = 0, opos = 0, j;
always @(posedge clk) begin
    if (m_tvalid && m_tready) begin
        for (j = 0; j < 8; j = j + 1) begin
            if (m_tkeep[j]) begin
                ob[nout*2048 + opos] = m_tdata[j*8 +: 8];
                opos = opos + 1;
            end
        end
        if (m_tlast) begin
            olen[nout] = opos;
            opos = 0;
            nout = nout + 1;
        end
    end
end

// the frame out number n equals vector frame k, bytes [mlo, mhi) aside
function frame_eq(input integer n, input integer k, input integer mlo, input integer mhi);
    integer i;
    begin
        frame_eq = olen[n] == flen[k];
        for (i = 0; frame_eq && i < flen[k]; i = i + 1) begin
            if ((i < mlo || i >= mhi) && ob[n*2048 + i] != fb[k*MAXB + i]) frame_eq = 0;
        end
    end
endfunction

task wait_frames(input integer n);
    integer t;
    begin
        for (t = 0; t < 20000 && nout < n; t = t + 1) @(posedge clk);
    end
endtask

// ---- frames into the bridge ----
task send(input integer k);
    integer i, b;
    begin
        for (i = 0; i < flen[k]; i = i + 8) begin
            @(negedge clk);
            s_tdata = 64'd0;
            s_tkeep = 8'd0;
            for (b = 0; b < 8; b = b + 1) begin
                if (i + b < flen[k]) begin
                    s_tdata[b*8 +: 8] = fb[k*MAXB + i + b];
                    s_tkeep[b] = 1'b1;
                end
            end
            s_tvalid = 1'b1;
            s_tlast = i + 8 >= flen[k];
        end
        @(negedge clk);
        s_tvalid = 1'b0;
        s_tlast = 1'b0;
    end
endtask

// ---- TLPs to the device ----
reg [127:0] got_hdr;
reg [7:0] got_data[0:63];
integer got_n = 0, got_b = 0;
always @(posedge clk) begin
    if (dv_valid && dv_ready) begin
        if (dv_sop) begin
            got_hdr = dv_hdr;
            got_b = 0;
        end
        for (j = 0; j < 8; j = j + 1) begin
            if (dv_strb[j/4]) begin
                got_data[got_b] = dv_data[j*8 +: 8];
                got_b = got_b + 1;
            end
        end
        if (dv_eop) got_n = got_n + 1;
    end
end

integer i, k, ok, t;
reg [31:0] v;
reg [31:0] hdr_dw[0:3];

initial begin
    load;
    init_epoch = id_epoch;
    repeat (8) @(posedge clk);
    rst = 1'b0;
    repeat (4) @(posedge clk);

    // ---- identity, then enable: the first DIF ----
    csr_read(12'h000, v);
    check(v == 32'h50454231, "ID register");
    csr_write(12'h010, id_mac_hi);
    csr_write(12'h014, id_mac_lo);
    csr_write(12'h018, id_gid);
    csr_write(12'h01c, id_ethertype);
    csr_write(12'h020, id_interval);
    csr_write(12'h024, id_bid_hi);
    csr_write(12'h028, id_bid_lo);
    csr_write(12'h030, id_dev);
    csr_write(12'h034, id_class);
    csr_write(12'h038, id_subsys);
    csr_write(12'h008, 32'd1 | (id_present ? 32'd2 : 32'd0));
    wait_frames(1);
    check(frame_eq(0, F_DIF_IO, 0, 0), "the first DIF is dif_io, byte for byte");

    // ---- the host binds the bridge ----
    send(F_DIF_HOST);
    repeat (100) @(posedge clk);
    csr_read(12'h00c, v);
    check((v & 32'h3) == 32'h3, "a host DIF binds the host and opens the connection");
    csr_read(12'h068, v);
    check(v == {fb[F_DIF_HOST*MAXB + 62], fb[F_DIF_HOST*MAXB + 63], fb[F_DIF_HOST*MAXB + 64],
                fb[F_DIF_HOST*MAXB + 65]}, "the host's epoch is dif_host's");

    // ---- a request to the device ----
    send(F_REQ);
    for (t = 0; t < 2000 && got_n < 1; t = t + 1) @(posedge clk);
    ok = got_n == 1 && got_hdr == tlp_hdr[0] && got_b == tlp_dlen[0];
    $sformat(msg, "cfgrd0 reaches the device as its TLP (hdr %h)", got_hdr);
    check(ok, msg);

    // ---- the device's completion leaves as cpld's frame ----
    hdr_dw[0] = tlp_hdr[1][127:96];
    @(negedge clk);
    di_hdr = tlp_hdr[1];
    di_data = 64'd0;
    for (i = 0; i < tlp_dlen[1]; i = i + 1) di_data[i*8 +: 8] = tlp_data[64 + i];
    di_strb = (tlp_dlen[1] > 4) ? 2'b11 : (tlp_dlen[1] > 0) ? 2'b01 : 2'b00;
    di_sop = 1'b1;
    di_eop = 1'b1;
    di_valid = 1'b1;
    // the handshake completes at the edge after a cycle with ready high
    for (t = 0; t < 100; t = t + 1) begin
        @(negedge clk);
        if (di_ready) begin
            @(posedge clk);
            #1 di_valid = 1'b0;
            t = 100;
        end
    end
    wait_frames(2);
    // tsval (bytes 34..37) is the bridge's clock
    check(nout >= 2 && frame_eq(1, F_REPLY, 34, 38),
          "the completion leaves as cpld's frame, in this connection's sequence");
    check(nout >= 2 && ob[1*2048 + 21] == 8'h1f, "flags SEQ ACK TS TSECR SYN");
    if (!frame_eq(1, F_REPLY, 34, 38)) begin
        for (i = 0; i < olen[1]; i = i + 1) $write("%h ", ob[2048 + i]);
        $display("");
        for (i = 0; i < flen[F_REPLY]; i = i + 1) $write("%h ", fb[F_REPLY*MAXB + i]);
        $display("");
    end

    // ---- echo ----
    send(F_ECHO);
    wait_frames(3);
    check(nout >= 3 && frame_eq(2, F_ECHO_REPLY, 0, 0), "an ECHO request comes back as its reply");

    // ---- management ----
    for (i = 0; i < 8; i = i + 1) csr_write(12'h0a0 + 4 * i, mgmt_key[255 - 32*i -: 32]);
    csr_write(12'h008, 32'd7);
    csr_write(12'h018, gid_before);
    for (k = 0; k < nvar; k = k + 1) begin
        // back in the unassigned group; counter 0 unless replaying
        if (var_result[k] != 5) begin
            csr_write(12'h090, 32'd0);
            csr_write(12'h094, 32'd0);
        end
        csr_write(12'h018, gid_before);
        t = nout;
        send(F_MGMT + k);
        repeat (1500) @(posedge clk);
        csr_read(12'h098, v);
        $sformat(msg, "mgmt %0s: result %0d, expected %0d", var_name[k], v, var_result[k]);
        check(v == var_result[k], msg);
        csr_read(12'h018, v);
        $sformat(msg, "mgmt %0s: GID %0d", var_name[k], v);
        check(v == (var_result[k] == 1 ? gid_after : gid_before), msg);
        if (var_result[k] == 1) begin
            csr_read(12'h094, v);
            check(v == 32'd1, "the accepted counter is kept");
            // the answer: a DIF in the new group
            ok = nout > t && ob[(nout-1)*2048 + 19] == 8'd3 &&
                 {ob[(nout-1)*2048 + 14], ob[(nout-1)*2048 + 15]} == gid_after[15:0] &&
                 {ob[(nout-1)*2048 + 52], ob[(nout-1)*2048 + 53]} == gid_after[15:0];
            check(ok, "a DIF in the new group follows at once");
        end
    end
    csr_read(12'h100 + 4*25, v);
    check(v == 32'd1, "one MGMT frame accepted");
    csr_read(12'h100 + 4*26, v);
    $sformat(msg, "%0d MGMT frames refused", v);
    check(v == nvar - 1, msg);
    csr_read(12'h100 + 4*1, v);
    check(v == 32'd0, "no malformed frame counted");

    $display("tb_top: %0d passed, %0d failed", pass, fail);
    $finish;
end

endmodule

`resetall
