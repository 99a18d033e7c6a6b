package main

import (
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"
)

// BenchmarkServeIdleRSS starts `reformbot serve` with the embedded plan on a
// new database against the fake Bot API, lets it settle (3 s, or
// REFORMBOT_RSS_SETTLE) and reports its resident memory from
// /proc/<pid>/status: VmRSS now and VmHWM, the peak since it started.
func BenchmarkServeIdleRSS(b *testing.B) {
	if runtime.GOOS != "linux" {
		b.Skip("reads /proc/<pid>/status")
	}
	settle := envDuration("REFORMBOT_RSS_SETTLE", 3*time.Second)
	var rss, hwm float64
	for range b.N {
		d := newDrill(b)
		p := d.start("serve")
		d.waitRequests(p, "deleteWebhook", 1) // about to poll
		time.Sleep(settle)
		status, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", p.cmd.Process.Pid))
		if err != nil {
			b.Fatal(err)
		}
		rss += statusMB(b, status, "VmRSS")
		hwm += statusMB(b, status, "VmHWM")
		p.stop(b)
	}
	b.ReportMetric(rss/float64(b.N), "RSS-MB")
	b.ReportMetric(hwm/float64(b.N), "peak-RSS-MB")
}

// statusMB reads a "Name:   1234 kB" line of /proc/<pid>/status, in MB.
func statusMB(tb testing.TB, status []byte, name string) float64 {
	tb.Helper()
	for _, line := range strings.Split(string(status), "\n") {
		if rest, ok := strings.CutPrefix(line, name+":"); ok {
			kb, err := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")))
			if err != nil {
				tb.Fatalf("%s: %q", name, line)
			}
			return float64(kb) / 1024
		}
	}
	tb.Fatalf("no %s in /proc/<pid>/status", name)
	return 0
}
