# SPDX-License-Identifier: GPL-2.0
# gnuplot script for tests/bench/run: throughput and latency, stock vs ours.
# Run in the results directory (reads tput.dat and lat.dat).
set terminal pngcairo size 1100,460 font "sans,10" noenhanced
set output "bench.png"
set multiplot layout 1,2 title "bt6lowpan vs in-tree bluetooth_6lowpan (QEMU TCG, btvirt emulated LE link; missing bar = fails)"
set style data histograms
set style histogram errorbars gap 1 lw 1
set style fill solid 0.8 border -1
set boxwidth 0.9
set key top left
set grid ytics
set yrange [0:*]
set xtics rotate by -20

set title "bulk throughput, 1 MiB (median, min-max)"
set ylabel "KiB/s"
plot "tput.dat" using 2:4:5:xtic(1) title "stock" lc rgb "#999999", \
     "" using 3:6:7 title "ours" lc rgb "#2060c0"

set style histogram clustered gap 1
set title "ICMPv6 echo round trip (p50 solid, p99 light)"
set ylabel "ms"
set logscale y
set yrange [0.1:*]
plot "lat.dat" using 4:xtic(1) title "stock p99" lc rgb "#dddddd", \
     "" using 5 title "ours p99" lc rgb "#a0c0f0", \
     "" using 2 title "stock p50" lc rgb "#999999", \
     "" using 3 title "ours p50" lc rgb "#2060c0"
unset multiplot
