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

# best-case L2CAP goodput of a real LE link (README: Performance)
set arrow 1 from graph 0, first 97 to graph 1, first 97 nohead dt 2 lc rgb "#c03030"
set label 1 "real LE, 1M PHY" at graph 0.01, first 97 left offset 0,0.6 font ",8" tc rgb "#c03030"
set arrow 2 from graph 0, first 173 to graph 1, first 173 nohead dt 2 lc rgb "#c03030"
set label 2 "2M PHY" at graph 0.01, first 173 left offset 0,0.6 font ",8" tc rgb "#c03030"
set title "bulk throughput, 1 MiB (median, min-max)"
set ylabel "KiB/s"
plot "tput.dat" using 2:4:5:xtic(1) title "stock" lc rgb "#999999", \
     "" using 3:6:7 title "ours" lc rgb "#2060c0"

unset arrow 1
unset arrow 2
unset label 1
unset label 2
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
