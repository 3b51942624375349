package generator

import (
	"maps"
	"slices"
	"strings"

	"github.com/dgen-dev/dgen/detectors/facts"
)

// planPythonDjango settles the build-time steps that import Django's
// settings (collectstatic, compilemessages) and the catalogs pybabel
// compiles.
func planPythonDjango(det *facts.Detection, p *Plan, pp *PythonPlan) error {
	pf := det.Python
	if pf == nil {
		return nil
	}
	if pf.Translations == "babel" {
		return planPythonBabel(pf, pp)
	}
	if pf.ManagePy == "" || !pf.CollectStatic && pf.Translations != "django" {
		return nil
	}
	managePy, err := ShellQuote(pf.ManagePy)
	if err != nil {
		return badInputf("%s: %v", pf.ManagePy, err)
	}
	var env []PythonEnv
	if pf.DjangoSettings != "" {
		env = append(env, PythonEnv{Name: "DJANGO_SETTINGS_MODULE", Value: pf.DjangoSettings})
	}
	for _, k := range slices.Sorted(maps.Keys(pf.CollectStaticEnv)) {
		if k == "DJANGO_SETTINGS_MODULE" || !pythonEnvNameRe.MatchString(k) {
			continue
		}
		env = append(env, PythonEnv{Name: k, Value: pf.CollectStaticEnv[k]})
	}
	if pf.Translations == "django" {
		pp.CompileMessages = []string{"python " + managePy + " compilemessages"}
		pp.CompileMessagesEnv = env
		if slices.Contains(pp.BuildPackages, "gettext") {
			pp.BuildPackagesWhy = "Build stage only: gettext's msgfmt, which compilemessages runs"
			if len(pp.BuildPackages) > 1 {
				pp.BuildPackagesWhy += ", and compilers and headers for dependencies built from source"
			}
		}
	}
	if !pf.CollectStatic {
		return nil
	}
	pp.CollectStatic = true
	pp.CollectStaticCommand = "python " + managePy + " collectstatic --noinput"
	pp.CollectStaticEnv = slices.Clone(env)
	if strings.HasPrefix(pf.StaticRoot, "/") && !strings.HasPrefix(pf.StaticRoot, pythonWorkdir+"/") {
		pp.StaticRootAbs = pf.StaticRoot
	}
	return nil
}

// planPythonBabel compiles each catalog folder with pybabel, naming the
// domains when they are not only Babel's default ("messages").
func planPythonBabel(pf *facts.PythonFacts, pp *PythonPlan) error {
	for _, c := range pf.Catalogs {
		dir, err := ShellQuote(c.Dir)
		if err != nil {
			return badInputf("%s: %v", c.Dir, err)
		}
		cmd := "pybabel compile -d " + dir
		if len(c.Domains) != 1 || c.Domains[0] != "messages" {
			domains, err := ShellQuote(strings.Join(c.Domains, " "))
			if err != nil {
				return badInputf("%s: %v", c.Dir, err)
			}
			cmd += " -D " + domains
		}
		pp.CompileMessages = append(pp.CompileMessages, cmd)
	}
	return nil
}
