/* SPDX-License-Identifier: GPL-2.0 */
/* Tracepoints of the expether transport (events/expether/ in tracefs). */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM expether

#if !defined(_EE_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _EE_TRACE_H

#include <linux/tracepoint.h>

DECLARE_EVENT_CLASS(expether_frame,
		    TP_PROTO(const u8 *peer, u16 gid, u8 type, u16 flags,
			     u32 seq, u32 ack, unsigned int len),
		    TP_ARGS(peer, gid, type, flags, seq, ack, len),
		    TP_STRUCT__entry(__array(u8, peer, 6)
				     __field(u16, gid)
				     __field(u8, type)
				     __field(u16, flags)
				     __field(u32, seq)
				     __field(u32, ack)
				     __field(unsigned int, len)),
		    TP_fast_assign(memcpy(__entry->peer, peer, 6);
				   __entry->gid = gid;
				   __entry->type = type;
				   __entry->flags = flags;
				   __entry->seq = seq;
				   __entry->ack = ack;
				   __entry->len = len;),
		    TP_printk("peer=%pM gid=%u type=%u flags=%#x seq=%u ack=%u len=%u",
			      __entry->peer, __entry->gid, __entry->type,
			      __entry->flags, __entry->seq, __entry->ack,
			      __entry->len));

/* A frame handed to the device (peer: destination). */
DEFINE_EVENT(expether_frame, expether_tx,
	     TP_PROTO(const u8 *peer, u16 gid, u8 type, u16 flags, u32 seq,
		      u32 ack, unsigned int len),
	     TP_ARGS(peer, gid, type, flags, seq, ack, len));

/* A well-formed frame of our group received (peer: source). */
DEFINE_EVENT(expether_frame, expether_rx,
	     TP_PROTO(const u8 *peer, u16 gid, u8 type, u16 flags, u32 seq,
		      u32 ack, unsigned int len),
	     TP_ARGS(peer, gid, type, flags, seq, ack, len));

/* A frame of our EtherType and group dropped as malformed: the reason. */
TRACE_EVENT(expether_rx_drop,
	    TP_PROTO(const u8 *peer, int err),
	    TP_ARGS(peer, err),
	    TP_STRUCT__entry(__array(u8, peer, 6)
			     __field(int, err)),
	    TP_fast_assign(memcpy(__entry->peer, peer, 6);
			   __entry->err = err;),
	    TP_printk("peer=%pM reason=%d", __entry->peer, __entry->err));

/* A TLP frame sent again (Go-Back-N); backoffs: RTO expiries in a row. */
TRACE_EVENT(expether_retransmit,
	    TP_PROTO(const u8 *peer, u32 seq, u32 backoffs),
	    TP_ARGS(peer, seq, backoffs),
	    TP_STRUCT__entry(__array(u8, peer, 6)
			     __field(u32, seq)
			     __field(u32, backoffs)),
	    TP_fast_assign(memcpy(__entry->peer, peer, 6);
			   __entry->seq = seq;
			   __entry->backoffs = backoffs;),
	    TP_printk("peer=%pM seq=%u backoffs=%u", __entry->peer,
		      __entry->seq, __entry->backoffs));

/* The retransmission timer expired; rto_ns: the timeout now in force. */
TRACE_EVENT(expether_timeout,
	    TP_PROTO(const u8 *peer, u32 backoffs, u64 rto_ns),
	    TP_ARGS(peer, backoffs, rto_ns),
	    TP_STRUCT__entry(__array(u8, peer, 6)
			     __field(u32, backoffs)
			     __field(u64, rto_ns)),
	    TP_fast_assign(memcpy(__entry->peer, peer, 6);
			   __entry->backoffs = backoffs;
			   __entry->rto_ns = rto_ns;),
	    TP_printk("peer=%pM backoffs=%u rto_us=%llu", __entry->peer,
		      __entry->backoffs, __entry->rto_ns / 1000));

/* A peer stopped acknowledging: its connection is dead. */
TRACE_EVENT(expether_peer_dead,
	    TP_PROTO(const u8 *peer),
	    TP_ARGS(peer),
	    TP_STRUCT__entry(__array(u8, peer, 6)),
	    TP_fast_assign(memcpy(__entry->peer, peer, 6);),
	    TP_printk("peer=%pM", __entry->peer));

#endif /* _EE_TRACE_H */

/* This part must be outside the include guard. */
#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE ee_trace
#include <trace/define_trace.h>
