package deploy_test

import (
	"bufio"
	"errors"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/goccy/go-yaml"

	"github.com/plein/plein/server/config"
)

// obj is one decoded YAML mapping.
type obj = map[string]any

func repoRoot(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		t.Fatalf("repository root not found from %s", root)
	}
	return root
}

// loadYAML decodes every document of a file.
func loadYAML(t *testing.T, path string) []obj {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var docs []obj
	dec := yaml.NewDecoder(f)
	for {
		var d obj
		err := dec.Decode(&d)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		if d != nil {
			docs = append(docs, d)
		}
	}
	if len(docs) == 0 {
		t.Fatalf("%s: no YAML documents", path)
	}
	return docs
}

// get walks a path of map keys and list indexes.
func get(v any, path ...any) any {
	for _, p := range path {
		switch k := p.(type) {
		case string:
			m, ok := v.(obj)
			if !ok {
				return nil
			}
			v = m[k]
		case int:
			l, ok := v.([]any)
			if !ok || k >= len(l) {
				return nil
			}
			v = l[k]
		}
	}
	return v
}

func str(v any, path ...any) string {
	s, _ := get(v, path...).(string)
	return s
}

func knownVars() map[string]bool {
	m := map[string]bool{}
	for _, v := range config.Vars {
		m[v.Name] = true
	}
	return m
}

// loadsInProduction runs the real configuration loader on env, so a value
// the server would refuse fails here rather than at deploy time.
func loadsInProduction(t *testing.T, where string, env map[string]string) {
	t.Helper()
	cfg, err := config.Load(func(k string) string { return env[k] })
	if err != nil {
		t.Errorf("%s: configuration refused by the server:\n%v", where, err)
		return
	}
	if cfg.Mode != config.Production || cfg.DevIdP() || cfg.SeedDemo || cfg.MongoURI == "" {
		t.Errorf("%s: not a production configuration: mode %s, dev provider %v, seed %v, MONGODB_URI set %v",
			where, cfg.Mode, cfg.DevIdP(), cfg.SeedDemo, cfg.MongoURI != "")
	}
}

func TestKubernetesManifests(t *testing.T) {
	root := repoRoot(t)
	files, _ := filepath.Glob(filepath.Join(root, "deploy/k8s/*.yaml"))
	if len(files) == 0 {
		t.Fatal("no manifests in deploy/k8s")
	}
	byKind := map[string][]obj{}
	fileOf := map[string]string{}
	for _, f := range files {
		for i, d := range loadYAML(t, f) {
			kind, name := str(d, "kind"), str(d, "metadata", "name")
			if str(d, "apiVersion") == "" || kind == "" || name == "" {
				t.Errorf("%s document %d: needs apiVersion, kind and metadata.name", filepath.Base(f), i)
				continue
			}
			byKind[kind] = append(byKind[kind], d)
			if kind != "Kustomization" {
				fileOf[kind+"/"+name] = filepath.Base(f)
			}
		}
	}
	for _, kind := range []string{"Deployment", "Service", "Ingress", "ConfigMap", "Secret", "PodDisruptionBudget", "HorizontalPodAutoscaler", "Kustomization"} {
		if len(byKind[kind]) != 1 {
			t.Fatalf("want exactly one %s, have %d", kind, len(byKind[kind]))
		}
	}
	dep, svc, ing := byKind["Deployment"][0], byKind["Service"][0], byKind["Ingress"][0]
	cm, sec := byKind["ConfigMap"][0], byKind["Secret"][0]
	known := knownVars()

	if r, _ := get(dep, "spec", "replicas").(uint64); r != 3 {
		t.Errorf("replicas = %v, want 3", get(dep, "spec", "replicas"))
	}
	pod := get(dep, "spec", "template", "spec")
	if g, _ := get(pod, "terminationGracePeriodSeconds").(uint64); g != 30 {
		t.Errorf("terminationGracePeriodSeconds = %v, want 30", get(pod, "terminationGracePeriodSeconds"))
	}
	if get(pod, "securityContext", "runAsNonRoot") != true {
		t.Error("pod securityContext.runAsNonRoot must be true")
	}
	podLabels, _ := get(dep, "spec", "template", "metadata", "labels").(obj)
	for k, v := range get(dep, "spec", "selector", "matchLabels").(obj) {
		if podLabels[k] != v {
			t.Errorf("selector %s=%v does not match the pod labels", k, v)
		}
	}
	c := get(pod, "containers", 0)
	if str(c, "readinessProbe", "httpGet", "path") != "/readyz" {
		t.Error("readiness probe must GET /readyz")
	}
	if str(c, "livenessProbe", "httpGet", "path") != "/healthz" {
		t.Error("liveness probe must GET /healthz")
	}
	if get(c, "securityContext", "readOnlyRootFilesystem") != true || get(c, "securityContext", "allowPrivilegeEscalation") != false {
		t.Error("container must have a read-only root filesystem and no privilege escalation")
	}
	if get(c, "securityContext", "runAsNonRoot") == false {
		t.Error("container overrides runAsNonRoot")
	}
	for _, r := range []string{"cpu", "memory"} {
		if get(c, "resources", "limits", r) == nil || get(c, "resources", "requests", r) == nil {
			t.Errorf("resources.requests and .limits need %s", r)
		}
	}
	if get(c, "lifecycle", "preStop") == nil {
		t.Error("no preStop hook: the pod must keep serving while load balancers drain it")
	}
	ports := map[string]bool{}
	for _, p := range get(c, "ports").([]any) {
		ports[str(p, "name")] = true
	}
	for _, pr := range []string{"readinessProbe", "livenessProbe", "startupProbe"} {
		if p := get(c, pr, "httpGet", "port"); p != nil && !ports[p.(string)] {
			t.Errorf("%s uses unknown port %v", pr, p)
		}
	}

	// The environment: known names only; the production essentials present;
	// secrets from the Secret; every reference resolvable.
	cmData, _ := get(cm, "data").(obj)
	secData, _ := get(sec, "stringData").(obj)
	eff := map[string]string{}
	env := map[string]obj{}
	for _, e := range get(c, "env").([]any) {
		e := e.(obj)
		name := str(e, "name")
		if !known[name] {
			t.Errorf("env %s is not a Plein variable (config.Vars)", name)
		}
		env[name] = e
		switch {
		case get(e, "value") != nil:
			eff[name] = str(e, "value")
		case get(e, "valueFrom", "configMapKeyRef") != nil:
			ref := get(e, "valueFrom", "configMapKeyRef")
			v, ok := cmData[str(ref, "key")]
			if str(ref, "name") != str(cm, "metadata", "name") || !ok {
				t.Errorf("env %s: ConfigMap %s has no key %s", name, str(ref, "name"), str(ref, "key"))
			}
			eff[name], _ = v.(string)
		case get(e, "valueFrom", "secretKeyRef") != nil:
			ref := get(e, "valueFrom", "secretKeyRef")
			v, ok := secData[str(ref, "key")]
			if str(ref, "name") != str(sec, "metadata", "name") || !ok {
				t.Errorf("env %s: Secret %s has no key %s", name, str(ref, "name"), str(ref, "key"))
			}
			eff[name], _ = v.(string)
		default:
			t.Errorf("env %s has no value", name)
		}
	}
	for k := range cmData {
		if !known[k] {
			t.Errorf("ConfigMap key %s is not a Plein variable", k)
		}
	}
	for k := range secData {
		if !known[k] {
			t.Errorf("Secret key %s is not a Plein variable", k)
		}
	}
	for _, name := range []string{"PLEIN_MODE", "PLEIN_LISTEN", "PLEIN_BASE_URL", "OIDC_ISSUER", "OIDC_CLIENT_ID", "OIDC_CLIENT_SECRET", "MONGODB_URI", "REDIS_URL"} {
		if env[name] == nil {
			t.Errorf("the container env lacks %s", name)
		}
	}
	for _, name := range []string{"OIDC_CLIENT_SECRET", "MONGODB_URI"} {
		if env[name] != nil && get(env[name], "valueFrom", "secretKeyRef") == nil {
			t.Errorf("%s must come from a Secret (secretKeyRef)", name)
		}
	}
	if eff["PLEIN_MODE"] != "production" {
		t.Errorf("PLEIN_MODE = %q", eff["PLEIN_MODE"])
	}
	if !strings.HasPrefix(eff["PLEIN_LISTEN"], "0.0.0.0:") {
		t.Errorf("PLEIN_LISTEN = %q: the default 127.0.0.1 is unreachable from the kubelet and the service", eff["PLEIN_LISTEN"])
	}
	loadsInProduction(t, "deploy/k8s", eff)

	// Service → pods, Ingress → Service.
	sel, _ := get(svc, "spec", "selector").(obj)
	for k, v := range sel {
		if podLabels[k] != v {
			t.Errorf("Service selector %s=%v matches no pod label", k, v)
		}
	}
	if tp := str(svc, "spec", "ports", 0, "targetPort"); !ports[tp] {
		t.Errorf("Service targetPort %q is not a container port", tp)
	}
	be := get(ing, "spec", "rules", 0, "http", "paths", 0, "backend", "service")
	if str(be, "name") != str(svc, "metadata", "name") || str(be, "port", "name") != str(svc, "spec", "ports", 0, "name") {
		t.Errorf("Ingress backend %v does not name the Service and its port", be)
	}
	if str(ing, "metadata", "annotations", "nginx.ingress.kubernetes.io/proxy-read-timeout") == "" {
		t.Error("Ingress needs a long proxy-read-timeout for websockets")
	}
	if str(byKind["HorizontalPodAutoscaler"][0], "spec", "scaleTargetRef", "name") != str(dep, "metadata", "name") {
		t.Error("HPA does not target the Deployment")
	}
	if m, _ := get(byKind["HorizontalPodAutoscaler"][0], "spec", "minReplicas").(uint64); m < 2 {
		t.Error("HPA minReplicas must be at least 2")
	}
	pdbSel, _ := get(byKind["PodDisruptionBudget"][0], "spec", "selector", "matchLabels").(obj)
	for k, v := range pdbSel {
		if podLabels[k] != v {
			t.Errorf("PDB selector %s=%v matches no pod label", k, v)
		}
	}

	// kustomization.yaml lists every manifest except the secret template.
	var listed []string
	for _, r := range get(byKind["Kustomization"][0], "resources").([]any) {
		listed = append(listed, r.(string))
	}
	for key, f := range fileOf {
		if strings.HasPrefix(key, "Secret/") {
			if slices.Contains(listed, f) {
				t.Errorf("kustomization applies the secret template %s", f)
			}
		} else if !slices.Contains(listed, f) {
			t.Errorf("kustomization does not list %s", f)
		}
	}
}

var interpolation = regexp.MustCompile(`\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}`)

// interpolate expands compose's ${VAR}, ${VAR:-default} and ${VAR:?error}
// from vars; a required variable missing from vars is an error.
func interpolate(t *testing.T, s string, vars map[string]string) string {
	return interpolation.ReplaceAllStringFunc(s, func(m string) string {
		p := interpolation.FindStringSubmatch(m)
		if v, ok := vars[p[1]]; ok {
			return v
		}
		switch {
		case strings.HasSuffix(p[2], "-"):
			return p[3]
		case strings.HasSuffix(p[2], "?"):
			t.Errorf("compose requires %s (%s)", p[1], p[3])
		}
		return ""
	})
}

func TestCompose(t *testing.T) {
	root := repoRoot(t)
	docs := loadYAML(t, filepath.Join(root, "deploy/compose/compose.yaml"))
	if len(docs) != 1 {
		t.Fatalf("compose.yaml: %d documents", len(docs))
	}
	services, _ := get(docs[0], "services").(obj)
	for _, s := range []string{"mongo", "redis", "caddy"} {
		if services[s] == nil {
			t.Errorf("no %s service", s)
		}
	}
	if cmd, _ := get(services["mongo"], "command").([]any); !slices.Contains(cmd, any("--replSet")) {
		t.Error("mongo must run as a replica set (transactions, majority writes)")
	}
	caddyfile, err := os.ReadFile(filepath.Join(root, "deploy/compose/Caddyfile"))
	if err != nil {
		t.Fatal(err)
	}
	caddyIP := str(services["caddy"], "networks", "plein", "ipv4_address")
	// Values an operator puts in plein.env; the rest come from defaults.
	example := map[string]string{}
	f, err := os.Open(filepath.Join(root, "deploy/compose/plein.env.example"))
	if err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if k, v, ok := strings.Cut(sc.Text(), "="); ok && !strings.HasPrefix(k, "#") {
			example[k] = v
		}
	}
	f.Close()

	known := knownVars()
	var instances []string
	for name, s := range services {
		if !strings.HasPrefix(name, "plein") {
			continue
		}
		instances = append(instances, name)
		if get(s, "healthcheck", "test") == nil {
			t.Errorf("%s has no healthcheck", name)
		}
		if df := str(s, "build", "dockerfile"); df != "" {
			ctx := filepath.Join(root, "deploy/compose", str(s, "build", "context"))
			if _, err := os.Stat(filepath.Join(ctx, df)); err != nil {
				t.Errorf("%s: build %s in %s: %v", name, df, ctx, err)
			}
		} else {
			t.Errorf("%s is not built from deploy/Dockerfile", name)
		}
		envm, _ := get(s, "environment").(obj)
		eff := map[string]string{}
		for k := range envm {
			if !known[k] {
				t.Errorf("%s: env %s is not a Plein variable (config.Vars)", name, k)
			}
			eff[k] = interpolate(t, str(envm, k), example)
		}
		loadsInProduction(t, "compose "+name, eff)
		if eff["PLEIN_TRUSTED_PROXIES"] != caddyIP {
			t.Errorf("%s trusts %q as proxy, Caddy has %q", name, eff["PLEIN_TRUSTED_PROXIES"], caddyIP)
		}
		if !strings.Contains(string(caddyfile), name+":8080") {
			t.Errorf("the Caddyfile does not send traffic to %s", name)
		}
	}
	if len(instances) < 2 {
		t.Errorf("want at least two plein instances, have %v", instances)
	}
}

// TestDockerfile checks what can be checked without a Docker engine: every
// COPY source from the build context exists, the image runs as a numeric
// non-root user and has a health check.
func TestDockerfile(t *testing.T) {
	root := repoRoot(t)
	b, err := os.ReadFile(filepath.Join(root, "deploy/Dockerfile"))
	if err != nil {
		t.Fatal(err)
	}
	text := strings.ReplaceAll(string(b), "\\\n", " ")
	var user, health bool
	for _, line := range strings.Split(text, "\n") {
		f := strings.Fields(line)
		if len(f) == 0 || strings.HasPrefix(f[0], "#") {
			continue
		}
		switch strings.ToUpper(f[0]) {
		case "USER":
			user = regexp.MustCompile(`^[1-9][0-9]*(:[0-9]+)?$`).MatchString(f[1])
		case "HEALTHCHECK":
			health = true
		case "COPY":
			args := f[1:]
			if len(args) > 0 && strings.HasPrefix(args[0], "--from") {
				continue
			}
			for len(args) > 0 && strings.HasPrefix(args[0], "--") {
				args = args[1:]
			}
			for _, src := range args[:len(args)-1] {
				if m, _ := filepath.Glob(filepath.Join(root, src)); len(m) == 0 {
					t.Errorf("COPY %s: not in the repository", src)
				}
			}
		}
	}
	if !user {
		t.Error("the final stage must set a numeric non-root USER")
	}
	if !health {
		t.Error("no HEALTHCHECK")
	}
}

func TestNginxExample(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(repoRoot(t), "deploy/local/nginx.conf"))
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	if n := len(regexp.MustCompile(`(?m)^\s*server 127\.0\.0\.1:808[1-3]`).FindAllString(s, -1)); n != 3 {
		t.Errorf("upstream has %d servers, want 3", n)
	}
	for _, want := range []string{"location /api/v1/ws", "proxy_set_header Upgrade", "$connection_upgrade", "X-Forwarded-For", "X-Forwarded-Proto", "proxy_read_timeout", "proxy_http_version 1.1"} {
		if !strings.Contains(s, want) {
			t.Errorf("nginx.conf lacks %s", want)
		}
	}
	if regexp.MustCompile(`(?m)^\s*(ip_hash|sticky|hash)\b`).MatchString(s) {
		t.Error("sticky sessions are not needed and hide multi-instance bugs")
	}
}

// TestOperationsDoc keeps docs/operations.md's configuration table in step
// with config.Vars: every variable, its default, and no other name.
func TestOperationsDoc(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(repoRoot(t), "docs/operations.md"))
	if err != nil {
		t.Fatal(err)
	}
	doc := string(b)
	rows := map[string]string{}
	for _, m := range regexp.MustCompile("(?m)^\\| `([A-Z_]+)` \\| ([^|]*) \\|").FindAllStringSubmatch(doc, -1) {
		def := strings.TrimSpace(strings.ReplaceAll(m[2], "`", ""))
		if def == "*(empty)*" {
			def = ""
		}
		rows[m[1]] = def
	}
	known := knownVars()
	for _, v := range config.Vars {
		def, ok := rows[v.Name]
		if !ok {
			t.Errorf("docs/operations.md: no row for %s", v.Name)
		} else if def != v.Default {
			t.Errorf("docs/operations.md: %s default %q, config.Vars says %q", v.Name, def, v.Default)
		}
	}
	for _, name := range regexp.MustCompile(`\b(?:PLEIN|OIDC|MONGODB|REDIS)_[A-Z_]+\b`).FindAllString(doc, -1) {
		if !known[name] {
			t.Errorf("docs/operations.md names %s, which is not a Plein variable", name)
		}
	}
}
