// Command ferretdb runs FerretDB v1 (a MongoDB wire-protocol server) on its SQLite handler, for
// development and CI machines where no MongoDB server can be installed. Never used in production,
// where MONGO_URL points at MongoDB 7. It listens on loopback only and keeps its data where told.
package main

import (
	"context"
	"flag"
	"log"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"

	"github.com/FerretDB/FerretDB/ferretdb"
)

func main() {
	listen := flag.String("listen", "127.0.0.1:27117", "TCP address to listen on (loopback only)")
	dataDir := flag.String("data", ".data/ferretdb", "directory for the SQLite databases")
	logLevel := flag.String("log-level", "error", "debug, info, warn or error")
	// WAL with synchronous=NORMAL survives a crash of FerretDB or the machine's processes; only a
	// power cut can lose the last transactions. Acceptable for development and CI, never production.
	synchronous := flag.String("sqlite-synchronous", "normal", "SQLite synchronous pragma: full or normal")
	flag.Parse()

	var level slog.Level
	if err := level.UnmarshalText([]byte(*logLevel)); err != nil {
		log.Fatalf("ferretdb: -log-level %q: %v", *logLevel, err)
	}
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))

	abs, err := filepath.Abs(*dataDir)
	if err != nil {
		log.Fatalf("ferretdb: data directory %q: %v", *dataDir, err)
	}
	if err := os.MkdirAll(abs, 0o700); err != nil {
		log.Fatalf("ferretdb: cannot create data directory %q: %v", abs, err)
	}

	// The SQLite handler wants an existing directory as a file: URL with a trailing slash.
	f, err := ferretdb.New(&ferretdb.Config{
		Listener:  ferretdb.ListenerConfig{TCP: *listen},
		Logger:    logger,
		Handler:   "sqlite",
		SQLiteURL: "file:" + abs + "/?_pragma=synchronous(" + *synchronous + ")",
	})
	if err != nil {
		log.Fatalf("ferretdb: %v", err)
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	log.Printf("ferretdb: listening on %s, data in %s", *listen, abs)
	if err := f.Run(ctx); err != nil && ctx.Err() == nil {
		log.Fatalf("ferretdb: %v", err)
	}
}
