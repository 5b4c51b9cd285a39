# SPDX-License-Identifier: GPL-2.0
# lspci-loop.sh BDF LOOPS OUT: LOOPS times `lspci -n -xxx -s BDF`; writes to
# OUT how many outputs differed from the first and how many held all-ones.
bdf=$1 loops=$2 out=$3
ref=$(lspci -n -xxx -s "$bdf")
bad=0 ones=0 i=0
while [ $i -lt "$loops" ]; do
	o=$(lspci -n -xxx -s "$bdf")
	[ "$o" = "$ref" ] || bad=$((bad + 1))
	case "$o" in *"ff ff ff ff ff ff ff ff"*) ones=$((ones + 1)) ;; esac
	i=$((i + 1))
done
case "$ref" in *"ff ff ff ff ff ff ff ff"*) ones=$((ones + 1)) ;; esac
echo "$bad $ones" >"$out"
