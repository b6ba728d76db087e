// Command note-open opens a signed note (c2sp.org/signed-note), such as a RunProof signed
// checkpoint (docs/chain-v1.md section 10), with one verifier key, using Go's own
// golang.org/x/mod/sumdb/note. It is an interoperability check for RunProof's checkpoints.
//
// Usage:
//
//	go run main.go VKEY NOTEFILE
//
// On success it prints the verified note text (the checkpoint body) and exits 0; otherwise
// it prints the error and exits 1.
//
// With Debian's packages (golang-golang-x-mod-dev):
//
//	GO111MODULE=off GOPATH=/usr/share/gocode GOCACHE=/tmp/gocache go run Tests/Interop/note-open/main.go VKEY NOTEFILE
package main

import (
	"fmt"
	"os"

	"golang.org/x/mod/sumdb/note"
)

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: note-open VKEY NOTEFILE")
		os.Exit(2)
	}
	verifier, err := note.NewVerifier(os.Args[1])
	if err != nil {
		fmt.Println("verifier key:", err)
		os.Exit(1)
	}
	msg, err := os.ReadFile(os.Args[2])
	if err != nil {
		fmt.Println(err)
		os.Exit(1)
	}
	n, err := note.Open(msg, note.VerifierList(verifier))
	if err != nil {
		fmt.Println(err)
		os.Exit(1)
	}
	fmt.Print(n.Text)
}
