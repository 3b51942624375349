package node

import (
	"strings"
	"testing"
)

func TestNodeRuntimeFiles(t *testing.T) {
	const pkg = `{"name":"api","scripts":{"build":"tsc","start":"node dist/main.js"},"dependencies":{"express":"^4"}}`
	for _, tc := range []struct {
		name  string
		files map[string]string
		want  string
		// evFile and marker locate the first file's evidence.
		evFile, marker string
	}{
		{
			name: "readFileSync of a JSON file and a cwd-joined folder",
			files: map[string]string{
				"src/main.ts":        "import fs from 'fs'\nconst cfg = JSON.parse(fs.readFileSync('config/app.json', 'utf8'))\nconst t = fs.readdirSync(path.join(process.cwd(), 'templates'))\n",
				"config/app.json":    "{}",
				"templates/mail.hbs": "hi",
				"src/other.ts":       "fs.readFileSync('missing.json')\n",
				"src/secrets.ts":     "fs.readFileSync('.env')\n",
				".env":               "X=1",
				"src/absolute.ts":    "fs.readFileSync('/etc/hosts')\n",
				"src/main.test.ts":   "fs.readFileSync('fixtures.json')\n",
				"fixtures.json":      "{}",
			},
			want: "config/app.json,templates/", evFile: "src/main.ts", marker: "config/app.json",
		},
		{
			name: "the config package reads config/",
			files: map[string]string{
				"package.json":        `{"name":"api","scripts":{"start":"node dist/main.js"},"dependencies":{"config":"^3","express":"^4"}}`,
				"src/main.ts":         "import config from 'config'\n",
				"config/default.json": "{}",
			},
			want: "config/", evFile: "package.json", marker: `"config"`,
		},
		{
			name: "prisma migrate deploy in the start script",
			files: map[string]string{
				"package.json":                           `{"name":"api","scripts":{"start":"prisma migrate deploy && node dist/main.js"},"dependencies":{"@prisma/client":"^5"}}`,
				"src/main.ts":                            "x\n",
				"prisma/schema.prisma":                   "datasource db {}",
				"prisma/migrations/1_init/migration.sql": "select 1;",
			},
			want: "prisma/", evFile: "package.json", marker: `"start"`,
		},
		{
			name: "the config package without a config folder, prisma without migrate deploy",
			files: map[string]string{
				"package.json":         `{"name":"api","scripts":{"start":"node dist/main.js"},"dependencies":{"config":"^3","@prisma/client":"^5"}}`,
				"src/main.ts":          "x\n",
				"prisma/schema.prisma": "datasource db {}",
			},
			want: "",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			files := map[string]string{"package.json": pkg, "package-lock.json": "{}"}
			for k, v := range tc.files {
				files[k] = v
			}
			det := nodeDetect(t, files, nil)
			var got []string
			for _, f := range det.RuntimeFiles {
				p := f.Path
				if f.Dir {
					p += "/"
				}
				got = append(got, p)
			}
			if strings.Join(got, ",") != tc.want {
				t.Fatalf("RuntimeFiles = %q, want %q", strings.Join(got, ","), tc.want)
			}
			if tc.marker != "" {
				ev := det.RuntimeFiles[0].Evidence
				if ev.File != tc.evFile || ev.Line != lineWith(files[tc.evFile], tc.marker) {
					t.Errorf("evidence %s, want %s at %q", ev, tc.evFile, tc.marker)
				}
			}
		})
	}
}

func TestNodeWritable(t *testing.T) {
	for _, tc := range []struct {
		name, src, want, marker string
	}{
		{name: "multer dest", src: "const upload = multer({ dest: 'uploads/' })\n", want: "uploads", marker: "multer"},
		{name: "mkdirSync and a write stream", src: "fs.mkdirSync('cache/img', { recursive: true })\nconst log = fs.createWriteStream('logs/access.log', { flags: 'a' })\n", want: "cache/img,logs", marker: "mkdirSync"},
		{name: "better-sqlite3 in the working directory", src: "import Database from 'better-sqlite3'\nconst db = new Database('app.db')\n", want: ".", marker: "new Database"},
		{name: "sqlite path through the app's variable", src: "import Database from 'better-sqlite3'\nconst db = new Database(process.env.DB_FILE ?? 'app.db')\n", want: "data(DB_FILE=data/app.db)", marker: "new Database"},
		{name: "sequelize sqlite storage", src: "new Sequelize({ dialect: 'sqlite', storage: './data/db.sqlite' })\n", want: "data", marker: "storage"},
		{name: "sqlite3 through a variable assigned from the app's variable with an absolute fallback", src: "const sqlite3 = require('sqlite3').verbose()\nconst location = process.env.SQLITE_DB_LOCATION || '/etc/todos/todo.db'\nlet db\nfunction init() {\n  db = new sqlite3.Database(location, err => {})\n}\n", want: "data(SQLITE_DB_LOCATION=data/todo.db)", marker: "new sqlite3.Database"},
		{name: "sqlite3 at a fixed absolute path", src: "const sqlite3 = require('sqlite3')\nconst db = new sqlite3.Database('/var/lib/notes/notes.db')\n", want: "/var/lib/notes", marker: "new sqlite3.Database"},
		{name: "knex sqlite filename with a variable", src: "module.exports = { client: 'sqlite3', useNullAsDefault: true,\n  connection: { filename: process.env.DB_FILE || './dev.sqlite3' } }\n", want: "data(DB_FILE=data/dev.sqlite3)", marker: "filename"},
		{name: "typeorm sqlite database", src: "new DataSource({\n  type: 'better-sqlite3',\n  database: 'db/app.sqlite',\n  entities: [User],\n})\n", want: "db", marker: "database:"},
		{name: "negatives: a server database, a log file and an unassigned variable near sqlite", src: "const sqlite3 = require('sqlite3')\nconst pg = { client: 'pg', connection: { database: 'shop' } }\nconst log = { filename: 'logs/app.log' }\nconst db = new sqlite3.Database(opts.file)\nconst db2 = new sqlite3.Database(where)\n", want: ""},
		{name: "negatives: absolute, in-memory, no sqlite for storage", src: "fs.mkdirSync('/tmp/x')\nconst db = new Database(':memory:')\nconst s = { storage: 'session' }\nfs.writeFileSync(path.join(__dirname, 'x'))\n", want: ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			files := map[string]string{
				"package.json":      `{"name":"api","scripts":{"start":"node src/main.js"},"dependencies":{"express":"^4"}}`,
				"package-lock.json": "{}",
				"src/main.js":       tc.src,
			}
			det := nodeDetect(t, files, nil)
			var got []string
			for _, w := range det.Writable {
				d := w.Dir
				if w.Env != "" {
					d += "(" + w.Env + "=" + w.Value + ")"
				}
				got = append(got, d)
			}
			if strings.Join(got, ",") != tc.want {
				t.Fatalf("Writable = %q, want %q", strings.Join(got, ","), tc.want)
			}
			if tc.marker != "" {
				ev := det.Writable[0].Evidence
				if ev.File != "src/main.js" || ev.Line != lineWith(tc.src, tc.marker) || det.Writable[0].What == "" {
					t.Errorf("evidence %s, want src/main.js at %q", ev, tc.marker)
				}
			}
		})
	}
}

// lineWith is the 1-based line of the first line of src holding marker.
func lineWith(src, marker string) int {
	for i, l := range strings.Split(src, "\n") {
		if strings.Contains(l, marker) {
			return i + 1
		}
	}
	return 0
}
