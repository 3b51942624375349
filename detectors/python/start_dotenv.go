package python

import (
	"path"
	"regexp"
	"strings"
)

// dropDotenv unwraps a start command run through python-dotenv's CLI
// (`dotenv -f .env run -- gunicorn …`): dgen's .dockerignore keeps .env
// files out of every image, since they hold secrets, so the wrapper would
// find no file. The variables are given when the container runs instead.
func (s *pyScan) dropDotenv(argv []string, file string, line int) []string {
	args := argv
	if len(args) > 2 && strings.HasPrefix(path.Base(args[0]), "python") && args[1] == "-m" {
		args = args[2:]
	}
	if len(args) == 0 || path.Base(args[0]) != "dotenv" {
		return argv
	}
	envFile := ".env"
	// args[0] is the dotenv command; its options come before run.
	for i := 1; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "-f" || a == "--file":
			if i+1 < len(args) {
				envFile = args[i+1]
				i++
			}
		case strings.HasPrefix(a, "--file="):
			envFile = strings.TrimPrefix(a, "--file=")
		case a == "run":
			rest := args[i+1:]
			for len(rest) > 0 && (rest[0] == "--override" || rest[0] == "--no-override") {
				rest = rest[1:]
			}
			if len(rest) > 0 && rest[0] == "--" {
				rest = rest[1:]
			}
			if len(rest) == 0 {
				return argv
			}
			s.det.Notef("%s:%d: dotenv run reads %s, which the .dockerignore keeps out of the image (it holds secrets); the container runs %s directly: pass the variables at run time (docker run --env-file %s IMAGE)", file, line, envFile, rest[0], envFile)
			return append([]string{}, rest...)
		}
	}
	return argv
}

// pyRequiredDotenvRe is a python-dotenv load that fails without the file.
var pyRequiredDotenvRe = regexp.MustCompile(`find_dotenv\([^)]*raise_error_if_not_found\s*=\s*True`)

// requiredDotenv notes code that stops when .env is missing: the image
// never has it.
func (s *pyScan) requiredDotenv() {
	for _, m := range s.src.find(pyRequiredDotenvRe, "raise_error_if_not_found") {
		s.det.Notef("%s:%d: the app stops when it finds no .env file, and the .dockerignore keeps .env out of the image (it holds secrets); make the file optional (raise_error_if_not_found=False) and pass the variables at run time", m.file.path, m.line)
		return
	}
}
