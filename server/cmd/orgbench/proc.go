package main

import "github.com/plein/plein/server/benchkit"

// proc is a child process this tool started (server, store).
type proc = benchkit.Proc
