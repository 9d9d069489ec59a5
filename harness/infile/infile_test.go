package infile

import (
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestRead(t *testing.T) {
	dir := t.TempDir()
	small := filepath.Join(dir, "small.json")
	os.WriteFile(small, []byte(`{"a":1}`), 0o600)
	sparse := filepath.Join(dir, "sparse")
	if f, err := os.Create(sparse); err == nil {
		f.Truncate(1 << 30) // 1 GB, no blocks
		f.Close()
	}
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	fed := filepath.Join(dir, "fed")
	syscall.Mkfifo(fed, 0o600)
	go func() {
		time.Sleep(50 * time.Millisecond) // the writer comes after the reader
		if f, err := os.OpenFile(fed, os.O_WRONLY, 0); err == nil {
			f.Write([]byte(`{"fed":true}`))
			f.Close()
		}
	}()
	tests := []struct {
		name, path, want, err string
	}{
		{"small file", small, `{"a":1}`, ""},
		{"FIFO with a late writer", fed, `{"fed":true}`, ""},
		{"/dev/zero", "/dev/zero", "", "--trust-policy /dev/zero: larger than 1 MiB"},
		{"1 GB sparse file", sparse, "", "larger than 1 MiB"},
		{"FIFO no one writes to", fifo, "", "no data within 300ms"},
		{"directory", dir, "", "is a directory"},
		{"missing", filepath.Join(dir, "none"), "", "no such file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			start := time.Now()
			b, err := ReadWithin("--trust-policy", tt.path, JSON, 300*time.Millisecond)
			runtime.ReadMemStats(&after)
			if tt.err == "" && (err != nil || string(b) != tt.want) {
				t.Errorf("got %q, %v; want %q", b, err, tt.want)
			}
			if tt.err != "" && (err == nil || !strings.Contains(err.Error(), tt.err) || strings.Contains(err.Error(), "\n")) {
				t.Errorf("err %v, want one line with %q", err, tt.err)
			}
			if d := time.Since(start); d > 2*time.Second {
				t.Errorf("took %s", d)
			}
			if grew := after.TotalAlloc - before.TotalAlloc; grew > 8<<20 {
				t.Errorf("allocated %d MiB", grew>>20)
			}
		})
	}
}

func TestReadStream(t *testing.T) {
	silent, w, err := os.Pipe() // a writer that never writes nor closes
	if err != nil {
		t.Fatal(err)
	}
	defer silent.Close()
	defer w.Close()
	fed, fw, _ := os.Pipe()
	defer fed.Close()
	go func() { fw.Write([]byte("token")); fw.Close() }()
	for _, tt := range []struct {
		name    string
		r       io.Reader
		want    string
		wantErr string
	}{
		{"a pipe that delivers", fed, "token", ""},
		{"a pipe no one writes to", silent, "", "--token -: no data within 200ms"},
		{"over the cap", strings.NewReader(strings.Repeat("a", 1<<20+1)), "", "--token -: larger than 1 MiB"},
	} {
		start := time.Now()
		b, err := ReadStream("--token -", tt.r, Token, 200*time.Millisecond)
		if tt.wantErr == "" && (err != nil || string(b) != tt.want) || tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)) {
			t.Errorf("%s: %q, %v; want %q, %q", tt.name, b, err, tt.want, tt.wantErr)
		}
		if time.Since(start) > 2*time.Second {
			t.Errorf("%s: took %s", tt.name, time.Since(start))
		}
	}
}
