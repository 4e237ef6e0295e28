package main

import (
	"bufio"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// startServeLines runs "linkwork serve" with the flags and environment
// and returns the first n lines that name an address on standard output.
func startServeLines(t *testing.T, env []string, n int, flags ...string) []string {
	t.Helper()
	cmd := exec.Command(binary(t), append([]string{"serve", "--addr", "127.0.0.1:0"}, flags...)...)
	cmd.Env = append(os.Environ(), env...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	stderr := &strings.Builder{}
	cmd.Stderr = &syncWriter{b: stderr}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	var waitErr error
	go func() { waitErr = cmd.Wait(); close(done) }()
	t.Cleanup(func() {
		cmd.Process.Kill()
		<-done
	})
	lines := make(chan string, n)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if i := strings.Index(sc.Text(), "http://"); i >= 0 {
				lines <- sc.Text()[i:]
			}
		}
		io.Copy(io.Discard, stdout)
	}()
	var out []string
	for len(out) < n {
		select {
		case l := <-lines:
			out = append(out, l)
		case <-done:
			t.Fatalf("serve exited: %v\n%s", waitErr, stderr)
		case <-time.After(30 * time.Second):
			t.Fatalf("serve printed %q and no more\n%s", out, stderr)
		}
	}
	return out
}

func httpGet(t *testing.T, url string, header map[string]string) int {
	t.Helper()
	req, err := http.NewRequest("GET", url, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

func TestServeKeepsMetricsFromThePublic(t *testing.T) {
	dsn := "sqlite:" + filepath.Join(t.TempDir(), "lw.db")
	if code, _, errs := runCLI(t, nil, "migrate", "--db", dsn); code != 0 {
		t.Fatalf("migrate: %s", errs)
	}
	t.Run("by default the public address does not serve them", func(t *testing.T) {
		main := startServeLines(t, nil, 1, "--db", dsn)[0]
		if got := httpGet(t, main+"/metrics", nil); got != http.StatusNotFound {
			t.Fatalf("GET /metrics: %d, want 404", got)
		}
	})
	t.Run("--metrics-addr serves them on a listener of their own", func(t *testing.T) {
		urls := startServeLines(t, nil, 2, "--db", dsn, "--metrics-addr", "127.0.0.1:0")
		if got := httpGet(t, urls[0]+"/metrics", nil); got != http.StatusNotFound {
			t.Errorf("GET /metrics on the public address: %d, want 404", got)
		}
		if !strings.HasSuffix(urls[1], "/metrics") || httpGet(t, urls[1], nil) != http.StatusOK {
			t.Errorf("the metrics listener %q does not serve them", urls[1])
		}
	})
	t.Run("LINKWORK_METRICS_TOKEN serves them on the public address to the token only", func(t *testing.T) {
		const token = "0123456789abcdef0123456789abcdef"
		main := startServeLines(t, []string{"LINKWORK_METRICS_TOKEN=" + token}, 1, "--db", dsn)[0]
		if got := httpGet(t, main+"/metrics", nil); got != http.StatusUnauthorized {
			t.Errorf("without the token: %d, want 401", got)
		}
		if got := httpGet(t, main+"/metrics", map[string]string{"Authorization": "Bearer " + token}); got != http.StatusOK {
			t.Errorf("with the token: %d, want 200", got)
		}
	})
}
