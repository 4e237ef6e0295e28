package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// buildServer builds this tree's linkwork command into dir and returns
// its path. It must run inside the linkwork module (as "go run
// ./cmd/linkwork-load" does).
func buildServer(ctx context.Context, dir string) (string, error) {
	bin := filepath.Join(dir, "linkwork")
	out, err := exec.CommandContext(ctx, "go", "build", "-o", bin, "github.com/linkwork/linkwork/cmd/linkwork").CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("building linkwork (run this inside the linkwork module, or give --server-binary): %v\n%s", err, out)
	}
	return bin, nil
}

// server is a running "linkwork serve".
type server struct {
	cmd     *exec.Cmd
	url     string
	logPath string
	done    chan struct{} // closed when the process has ended
	waitErr error         // how it ended, once done is closed
}

// readyTimeout is how long a server may take to migrate and start.
const readyTimeout = 3 * time.Minute

// startServer runs "linkwork serve" on a free loopback port with its log
// in logPath, and waits until it answers /readyz.
func startServer(ctx context.Context, bin, dsn string, flags []string, logPath string) (*server, error) {
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
	logf, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	args := append([]string{"serve", "--db", dsn, "--addr", addr}, flags...)
	s := &server{cmd: exec.Command(bin, args...), url: "http://" + addr, logPath: logPath, done: make(chan struct{})}
	s.cmd.Stdout, s.cmd.Stderr = logf, logf
	if err := s.cmd.Start(); err != nil {
		logf.Close()
		return nil, fmt.Errorf("starting %s: %w", bin, err)
	}
	go func() {
		s.waitErr = s.cmd.Wait()
		logf.Close()
		close(s.done)
	}()
	if err := s.waitReady(ctx); err != nil {
		s.stop()
		return nil, err
	}
	return s, nil
}

// freePort finds a loopback port nobody is listening on.
func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

// waitReady polls /readyz until the server answers 200, it ends, or the
// time is up.
func (s *server) waitReady(ctx context.Context) error {
	hc := &http.Client{Timeout: 2 * time.Second}
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	give := time.After(readyTimeout)
	for {
		req, err := http.NewRequestWithContext(ctx, "GET", s.url+"/readyz", nil)
		if err != nil {
			return err
		}
		if resp, err := hc.Do(req); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-s.done:
			return fmt.Errorf("linkwork serve ended before it was ready (%v); its log:\n%s", s.waitErr, s.logTail(20))
		case <-give:
			return fmt.Errorf("linkwork serve was not ready after %s; its log:\n%s", readyTimeout, s.logTail(20))
		case <-tick.C:
		}
	}
}

// stopTimeout is how long the server has to finish after SIGTERM before
// it is killed.
const stopTimeout = 30 * time.Second

// stop asks the server to finish (SIGTERM) and waits for it; it kills the
// server if it has not ended within stopTimeout. It reports how the
// server ended when that was not cleanly.
func (s *server) stop() error {
	select {
	case <-s.done:
	default:
		if err := s.cmd.Process.Signal(syscall.SIGTERM); err != nil && !errors.Is(err, os.ErrProcessDone) {
			s.cmd.Process.Kill()
		}
		select {
		case <-s.done:
		case <-time.After(stopTimeout):
			s.cmd.Process.Kill()
			<-s.done
			return fmt.Errorf("linkwork serve did not stop within %s of SIGTERM and was killed", stopTimeout)
		}
	}
	var ee *exec.ExitError
	if errors.As(s.waitErr, &ee) && ee.ExitCode() != 0 {
		return fmt.Errorf("linkwork serve ended with status %d; its log:\n%s", ee.ExitCode(), s.logTail(20))
	}
	return nil
}

// logTail returns the last n lines of the server's log.
func (s *server) logTail(n int) string {
	f, err := os.Open(s.logPath)
	if err != nil {
		return "(no log: " + err.Error() + ")"
	}
	defer f.Close()
	var lines []string
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		lines = append(lines, sc.Text())
		if len(lines) > n {
			lines = lines[1:]
		}
	}
	return strings.Join(lines, "\n")
}

// clockTick is the unit of the CPU times in /proc/PID/stat: USER_HZ, 100
// a second on every Linux platform Go runs on.
const clockTick = 10 * time.Millisecond

// cpuTime is the CPU time (user and system) a process has used so far,
// from /proc/PID/stat ("self" for this process).
func cpuTime(pid string) (time.Duration, error) {
	b, err := os.ReadFile("/proc/" + pid + "/stat")
	if err != nil {
		return 0, err
	}
	// The command name, in parentheses, may hold spaces: the fields
	// counted are those after it, starting with the state (field 3).
	s := string(b)
	i := strings.LastIndexByte(s, ')')
	if i < 0 {
		return 0, fmt.Errorf("/proc/%s/stat: no command name", pid)
	}
	f := strings.Fields(s[i+1:])
	if len(f) < 13 {
		return 0, fmt.Errorf("/proc/%s/stat: too few fields", pid)
	}
	utime, err1 := strconv.ParseInt(f[11], 10, 64) // field 14
	stime, err2 := strconv.ParseInt(f[12], 10, 64) // field 15
	if err := errors.Join(err1, err2); err != nil {
		return 0, fmt.Errorf("/proc/%s/stat: %w", pid, err)
	}
	return time.Duration(utime+stime) * clockTick, nil
}

// peakRSS is a process's peak resident memory in bytes (VmHWM in
// /proc/PID/status).
func peakRSS(pid string) (int64, error) {
	b, err := os.ReadFile("/proc/" + pid + "/status")
	if err != nil {
		return 0, err
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			if err != nil {
				return 0, fmt.Errorf("/proc/%s/status: VmHWM: %w", pid, err)
			}
			return kb << 10, nil
		}
	}
	return 0, fmt.Errorf("/proc/%s/status has no VmHWM", pid)
}

// resetPeakRSS starts a process's peak resident memory again from its
// current resident memory (Linux 4.0 and later), so that the peak read
// afterwards is the peak since now.
func resetPeakRSS(pid string) error {
	return os.WriteFile("/proc/"+pid+"/clear_refs", []byte("5"), 0)
}

// pid is the server's process id, as /proc names it.
func (s *server) pid() string { return strconv.Itoa(s.cmd.Process.Pid) }
