// Package deploy holds the files to run reformbot with: the systemd unit,
// its environment file, and (at the top of the repository) the Dockerfile.
// Its test checks the unit with systemd's own verifier.
package deploy

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func TestSystemdUnitVerifies(t *testing.T) {
	analyze, err := exec.LookPath("systemd-analyze")
	if err != nil {
		t.Skip("systemd-analyze is not installed: the unit is not verified here")
	}
	unit, err := os.ReadFile("reformbot.service")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"User=reformbot", "StateDirectory=reformbot", "Restart=on-failure", "ProtectSystem=strict", "NoNewPrivileges=yes", "ExecStart=/usr/local/bin/reformbot serve"} {
		if !strings.Contains(string(unit), want+"\n") {
			t.Errorf("the unit lacks %s", want)
		}
	}
	// verify checks that ExecStart's binary exists: point it at one that
	// does, keeping every other line as shipped.
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "reformbot.service")
	text := strings.Replace(string(unit), "ExecStart=/usr/local/bin/reformbot", "ExecStart="+self, 1)
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(analyze, "verify", path).CombinedOutput()
	// Without a running systemd (a container), verify may only complain
	// that it cannot connect; anything about the unit itself is a failure.
	var problems []string
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		if strings.Contains(line, "reformbot.service") {
			problems = append(problems, line)
		}
	}
	if len(problems) > 0 || (err != nil && len(out) == 0) {
		t.Errorf("systemd-analyze verify: %v\n%s", err, out)
	}
}
