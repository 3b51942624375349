package golang

import (
	"go/ast"
	"io/fs"
	"path"
	"slices"
	"strings"

	"github.com/dgen-dev/dgen/detectors/facts"
	"github.com/dgen-dev/dgen/detectors/repo"
)

// Kinds of runtimeUse.
const (
	useRead       = "read"       // a file or folder opened for reading
	useConfigName = "configName" // viper.SetConfigName("config")
	useConfigPath = "configPath" // viper.AddConfigPath(".")
	useWriteFile  = "writeFile"  // a file created or written
	useWriteDir   = "writeDir"   // a folder created
	useSQLite     = "sqlite"     // a SQLite database file
)

// runtimeUse is a call that opens, loads or writes a path named in the
// code, with the path's value as far as it resolves.
type runtimeUse struct {
	finding
	Kind  string
	Value exprValue
	// flag is set for a flag's default path: where the flag is declared,
	// to tell which command's path reads it.
	flag *listener
}

// readCalls take the path they read as their first argument.
var readCalls = map[string]bool{
	"os.Open": true, "os.ReadFile": true, "ioutil.ReadFile": true, "os.ReadDir": true,
	"ini.Load": true, "ini.LooseLoad": true, "toml.DecodeFile": true, "cleanenv.ReadConfig": true,
	"file.Provider": true,
}

// writeCalls take the path they write as their first argument; the value
// says whether it is a folder.
var writeCalls = map[string]string{
	"os.MkdirAll": useWriteDir, "os.Mkdir": useWriteDir,
	"os.Create": useWriteFile, "os.WriteFile": useWriteFile, "ioutil.WriteFile": useWriteFile,
}

// gooseCalls are goose's migration runners; one argument is the
// migrations folder.
var gooseCalls = map[string]bool{
	"Up": true, "UpContext": true, "UpTo": true, "UpToContext": true, "Run": true, "RunContext": true,
	"UpByOne": true, "Status": true,
}

// runtimeCall records calls that name a path the program reads or writes
// at run time.
func (s *fileScan) runtimeCall(call *ast.CallExpr) {
	fn := exprString(call.Fun)
	recv, name, _ := strings.Cut(fn, ".")
	if strings.Contains(name, ".") {
		// cfg.viper.SetConfigName: only the method name counts.
		name = name[strings.LastIndex(name, ".")+1:]
	}
	arg := func(i int) (exprValue, bool) {
		if i >= len(call.Args) {
			return exprValue{}, false
		}
		return s.pathValue(call.Args[i]), true
	}
	add := func(kind string, v exprValue) {
		if v.S != "" {
			s.sc.Runtime = append(s.sc.Runtime, runtimeUse{finding: s.find(call, s.text(call)), Kind: kind, Value: v})
		}
	}
	if def, ok := flagPathDefault(call); ok {
		// A flag's default path is read when the flag is not given: the
		// image must hold it, as for a read of that path.
		if v := s.pathValue(def); v.Known && v.Env == "" {
			f := s.find(call, s.text(call))
			ctx := listener{finding: f, owner: rootIdent(call.Fun), fn: s.funcAt(call.Pos()), recv: s.recvAt(call.Pos()), at: call.Pos()}
			s.sc.Runtime = append(s.sc.Runtime, runtimeUse{finding: f, Kind: useRead, Value: v, flag: &ctx})
		}
		return
	}
	switch {
	case readCalls[fn]:
		v, _ := arg(0)
		add(useRead, v)
	case writeCalls[fn] != "":
		v, _ := arg(0)
		add(writeCalls[fn], v)
	case fn == "os.OpenFile":
		if len(call.Args) > 1 && writeFlags(s.text(call.Args[1])) {
			v, _ := arg(0)
			add(useWriteFile, v)
		}
	case name == "SetConfigName" || name == "AddConfigPath" || name == "SetConfigFile":
		v, _ := arg(0)
		add(map[string]string{"SetConfigName": useConfigName, "AddConfigPath": useConfigPath, "SetConfigFile": useRead}[name], v)
	case recv == "migrate" && strings.HasPrefix(name, "New"):
		v, _ := arg(0)
		add(useRead, v)
	case recv == "goose" && gooseCalls[name]:
		for i := range call.Args {
			if v, _ := arg(i); v.Known {
				add(useRead, v)
			}
		}
	case recv == "sqlite" && name == "Open":
		v, _ := arg(0)
		add(useSQLite, v)
	case recv == "sql" && name == "Open":
		if d, _ := arg(0); strings.Contains(d.S, "sqlite") {
			v, _ := arg(1)
			add(useSQLite, v)
		}
	}
}

// pathValue evaluates a path argument, joining filepath.Join("data",
// "app.db") itself when every element is known.
func (s *fileScan) pathValue(e ast.Expr) exprValue {
	if c, ok := e.(*ast.CallExpr); ok {
		if fn := exprString(c.Fun); fn == "filepath.Join" || fn == "path.Join" {
			var parts []string
			for _, a := range c.Args {
				v := s.syms.eval(a)
				if !v.Known || v.Env != "" {
					return exprValue{}
				}
				parts = append(parts, v.S)
			}
			return knownValue(path.Join(parts...))
		}
	}
	v := s.syms.eval(e)
	if !v.Known && !v.HasFallback {
		return exprValue{}
	}
	return v
}

// writeFlags reports whether os.OpenFile's flag argument opens for
// writing.
func writeFlags(flags string) bool {
	return strings.Contains(flags, "O_CREATE") || strings.Contains(flags, "O_WRONLY") ||
		strings.Contains(flags, "O_RDWR") || strings.Contains(flags, "O_APPEND")
}

// runtimeFiles records the files and folders the program opens by a
// relative path (copied into the image) and the folders it writes next
// to itself (made writable for the non-root user). Paths are relative to
// the module folder, which the image's working directory mirrors.
func (Detector) runtimeFiles(fsys fs.FS, in *mainInfo, det *facts.Detection) {
	mod := in.pkg.Module.Dir
	var embeds []string
	for _, sc := range in.scans {
		embeds = append(embeds, sc.Embeds...)
	}
	var names, dirs []runtimeUse
	cli := cliOf(in)
	for _, sc := range in.scans {
		for _, u := range sc.Runtime {
			if u.flag != nil {
				// Another subcommand's flag (gen --dir docs/data) is
				// not read by the command the image starts.
				if c := commandOf(cli, *u.flag); c != nil && !sameCommand(c, in.sub) {
					continue
				}
			}
			switch u.Kind {
			case useRead:
				// goose.SetBaseFS(embedded) with goose.Up(db, "migrations")
				// reads the embedded copy, not the disk.
				if rel := relPath(u.Value.S); rel != "" && embedded(path.Join(mod, rel), mod, embeds) {
					continue
				}
				readFile(fsys, mod, u.Value.S, u.finding, det)
			case useConfigName:
				names = append(names, u)
			case useConfigPath:
				dirs = append(dirs, u)
			case useWriteFile, useWriteDir, useSQLite:
				writtenPath(u, det)
			}
		}
	}
	viperConfigs(fsys, mod, names, dirs, det)
}

// relPath cleans a path the code names relative to the working
// directory; "" for an absolute path, one outside it, a URL or a DSN.
func relPath(p string) string {
	p = strings.TrimPrefix(p, "file://")
	if p == "" || path.IsAbs(p) || strings.Contains(p, ":") || strings.ContainsAny(p, "$~*?") {
		return ""
	}
	p = path.Clean(p)
	if p == ".." || strings.HasPrefix(p, "../") {
		return ""
	}
	return p
}

// dotenv reports whether a file is a .env file, which holds secrets and
// is never copied into an image.
func dotenv(p string) bool {
	b := path.Base(p)
	return b == ".env" || strings.HasPrefix(b, ".env.") || strings.HasSuffix(b, ".env")
}

// readFile records a file or folder the program reads, when it exists
// below the module folder and the Dockerfile does not copy it already.
func readFile(fsys fs.FS, mod, p string, f finding, det *facts.Detection) {
	rel := relPath(p)
	if rel == "" || rel == "." || dotenv(rel) || copiedAlready(rel, det.Go) {
		return
	}
	full := path.Join(mod, rel)
	if !repo.SafePath(full) {
		return
	}
	switch {
	case repo.IsFile(fsys, full):
		det.AddRuntimeFile(facts.RuntimeFile{Path: rel, Evidence: facts.Evidence{File: f.File, Line: f.Line, Detail: f.Detail + " opens " + rel + " at run time"}})
	case repo.IsDir(fsys, full) && !goPackageDir(fsys, full):
		det.AddRuntimeFile(facts.RuntimeFile{Path: rel, Dir: true, Evidence: facts.Evidence{File: f.File, Line: f.Line, Detail: f.Detail + " reads " + rel + "/ at run time"}})
	}
}

// goPackageDir reports whether dir holds Go source files: a package,
// compiled into the binary, not data the program reads at run time (a
// --config-dir flag whose default "config" names the config package).
func goPackageDir(fsys fs.FS, dir string) bool {
	ents, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return false
	}
	return slices.ContainsFunc(ents, func(e fs.DirEntry) bool { return !e.IsDir() && strings.HasSuffix(e.Name(), ".go") })
}

// copiedAlready reports whether an asset folder or the start command's
// config file covers rel.
func copiedAlready(rel string, g *facts.GoFacts) bool {
	if rel == g.ConfigFile {
		return true
	}
	for _, a := range g.Assets {
		if rel == a || strings.HasPrefix(rel, a+"/") {
			return true
		}
	}
	return false
}

// viperExts are the config formats viper finds by name.
var viperExts = []string{"yaml", "yml", "json", "toml", "ini", "hcl", "properties"}

// viperConfigs records the files viper.SetConfigName with AddConfigPath
// finds: the name with each extension viper tries, in each added folder.
func viperConfigs(fsys fs.FS, mod string, names, dirs []runtimeUse, det *facts.Detection) {
	for _, n := range names {
		for _, d := range dirs {
			dir := relPath(d.Value.S)
			if dir == "" {
				continue
			}
			for _, ext := range viperExts {
				rel := path.Join(dir, n.Value.S+"."+ext)
				if !repo.IsFile(fsys, path.Join(mod, rel)) {
					continue
				}
				f := n.finding
				f.Detail = n.Detail + " with " + d.Detail
				readFile(fsys, mod, rel, f, det)
			}
		}
	}
}

// writtenPath records the folder a write goes to. A file written in the
// working directory itself by a path the program takes from a variable
// is moved into data/ through that variable, so a volume can be mounted
// there without hiding the program's own files.
func writtenPath(u runtimeUse, det *facts.Detection) {
	p := u.Value.S
	if u.Kind == useSQLite {
		p = strings.TrimPrefix(p, "file:")
		p, _, _ = strings.Cut(p, "?")
		if p == ":memory:" || strings.Contains(u.Value.S, "mode=memory") {
			return
		}
	}
	rel := relPath(p)
	if rel == "" {
		return
	}
	ev := facts.Evidence{File: u.File, Line: u.Line, Detail: u.Detail}
	// The variable names the path itself only when the value is the
	// variable's fallback, not a part of a longer string.
	env := ""
	if u.Value.Env != "" && u.Value.HasFallback && strings.TrimPrefix(u.Value.EnvFallback, "./") == strings.TrimPrefix(p, "./") {
		env = u.Value.Env
	}
	var w facts.WritablePath
	switch u.Kind {
	case useWriteDir:
		w = facts.WritablePath{Dir: rel, What: "the folder it creates (" + rel + "/)", Evidence: ev}
	case useSQLite:
		w = facts.WrittenFile(rel, env, "the SQLite database "+rel+" (and its journal, beside it)", ev)
	default:
		w = facts.WrittenFile(rel, env, "files it writes ("+rel+")", ev)
	}
	det.AddWritable(w)
}
