package bot

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strings"
	"testing"
)

// Handlers decide and return messages; only the intake enqueues (in the
// update's transaction, after the handler returned). No method of
// Handlers or of request calls Enqueue: a handler that did would write
// rows the intake does not know of (a sendDraft once did).
func TestNoHandlerEnqueues(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	var decls []*ast.FuncDecl
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			if fn, ok := d.(*ast.FuncDecl); ok && fn.Body != nil {
				decls = append(decls, fn)
			}
		}
	}
	calls := func(fn *ast.FuncDecl, what func(name string, method bool) bool) (hit string) {
		ast.Inspect(fn.Body, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok || hit != "" {
				return hit == ""
			}
			switch f := call.Fun.(type) {
			case *ast.SelectorExpr:
				if what(f.Sel.Name, true) {
					hit = fset.Position(f.Pos()).String()
				}
			case *ast.Ident:
				if what(f.Name, false) {
					hit = fset.Position(f.Pos()).String()
				}
			}
			return true
		})
		return hit
	}
	// Functions of the package that enqueue (the intake's enqueue, the
	// CLI's EnqueueNotice): a handler may not call them either.
	enqueuers := map[string]bool{}
	for _, fn := range decls {
		if fn.Recv == nil && calls(fn, func(name string, method bool) bool { return method && name == "Enqueue" }) != "" {
			enqueuers[fn.Name.Name] = true
		}
	}
	checked := 0
	for _, fn := range decls {
		if fn.Recv == nil {
			continue
		}
		recv := fn.Recv.List[0].Type
		if star, ok := recv.(*ast.StarExpr); ok {
			recv = star.X
		}
		if id, ok := recv.(*ast.Ident); !ok || (id.Name != "Handlers" && id.Name != "request") {
			continue
		}
		checked++
		if at := calls(fn, func(name string, method bool) bool {
			return (method && name == "Enqueue") || (!method && enqueuers[name])
		}); at != "" {
			t.Errorf("%s: %s enqueues; return the message instead", at, fn.Name.Name)
		}
	}
	if checked < 50 || len(enqueuers) == 0 {
		t.Fatalf("%d methods of Handlers and request, %d enqueuing functions found: the test proves nothing", checked, len(enqueuers))
	}
}
