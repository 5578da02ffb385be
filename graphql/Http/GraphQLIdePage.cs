namespace OrgActors.GraphQL.Http;

/// <summary>
/// A small GraphQL IDE in one self-contained page (no external URL, so it works offline): editor,
/// variables and headers, Ctrl/Cmd+Enter to run, a schema explorer from introspection, and a history
/// kept in the browser's localStorage.
/// </summary>
public static class GraphQLIdePage
{
    public const string Html = """
<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>GraphQL IDE</title>
<style>
*{box-sizing:border-box}body{margin:0;font:14px system-ui,-apple-system,Segoe UI,Roboto,sans-serif;color:#1f2328;background:#f6f8fa;height:100vh;display:flex;flex-direction:column}
header{display:flex;gap:8px;align-items:center;padding:8px 12px;background:#24292f;color:#fff}header b{margin-right:auto}
button{font:inherit;padding:6px 14px;border:0;border-radius:6px;background:#1f883d;color:#fff;cursor:pointer}button.secondary{background:#57606a}
main{flex:1;display:grid;grid-template-columns:220px 1fr 1fr;gap:8px;padding:8px;min-height:0}
section{display:flex;flex-direction:column;min-height:0;background:#fff;border:1px solid #d0d7de;border-radius:6px}
h2{font-size:12px;text-transform:uppercase;color:#57606a;margin:0;padding:6px 10px;border-bottom:1px solid #d0d7de}
textarea,pre{flex:1;margin:0;border:0;padding:10px;font:13px ui-monospace,SFMono-Regular,Menlo,monospace;resize:none;outline:none;overflow:auto;white-space:pre}
#variables,#headers{flex:0 0 110px;border-top:1px solid #d0d7de}
#explorer,#history{overflow:auto;padding:6px 10px;flex:1}#explorer a,#history a{color:#0969da;cursor:pointer;text-decoration:none}
.field{margin:3px 0}.desc{color:#57606a;font-size:12px}.type{color:#8250df}
</style></head>
<body>
<header><b>GraphQL IDE</b><span id="status"></span><button class="secondary" id="prettify">Prettify</button><button id="run" title="Ctrl/Cmd+Enter">Run ▶</button></header>
<main>
<section><h2>Schema</h2><div id="explorer">Loading…</div><h2>History</h2><div id="history"></div></section>
<section><h2>Operation</h2><textarea id="query" spellcheck="false"># Ctrl/Cmd+Enter runs the operation.
{
  __typename
}</textarea><h2>Variables (JSON)</h2><textarea id="variables" spellcheck="false">{}</textarea><h2>Headers (JSON)</h2><textarea id="headers" spellcheck="false">{}</textarea></section>
<section><h2>Result</h2><pre id="result"></pre></section>
</main>
<script>
(function () {
  const $ = id => document.getElementById(id);
  const endpoint = location.pathname;
  const store = { get: (k, d) => { try { return JSON.parse(localStorage.getItem('gql-ide:' + k)) ?? d; } catch { return d; } }, set: (k, v) => localStorage.setItem('gql-ide:' + k, JSON.stringify(v)) };
  $('query').value = store.get('query', $('query').value);
  $('variables').value = store.get('variables', '{}');
  $('headers').value = store.get('headers', '{}');
  let types = {};

  function parseJson(text, what) { if (!text.trim()) return {}; try { return JSON.parse(text); } catch (e) { throw new Error(what + ' is not valid JSON: ' + e.message); } }
  async function post(body) {
    const headers = Object.assign({ 'Content-Type': 'application/json', 'Accept': 'application/graphql-response+json, application/json' }, parseJson($('headers').value, 'Headers'));
    const response = await fetch(endpoint, { method: 'POST', headers, body: JSON.stringify(body) });
    return { status: response.status, text: await response.text() };
  }
  async function run() {
    const query = $('query').value;
    ['query', 'variables', 'headers'].forEach(k => store.set(k, $(k).value));
    $('status').textContent = 'Running…';
    const started = performance.now();
    try {
      const { status, text } = await post({ query, variables: parseJson($('variables').value, 'Variables') });
      let shown = text; try { shown = JSON.stringify(JSON.parse(text), null, 2); } catch { }
      $('result').textContent = shown;
      $('status').textContent = 'HTTP ' + status + ' in ' + Math.round(performance.now() - started) + ' ms';
      remember(query);
    } catch (e) { $('result').textContent = String(e.message || e); $('status').textContent = 'Failed'; }
  }
  function remember(query) {
    const history = store.get('history', []).filter(q => q !== query);
    history.unshift(query); store.set('history', history.slice(0, 30)); showHistory();
  }
  function showHistory() {
    const box = $('history'); box.textContent = '';
    store.get('history', []).forEach(q => {
      const a = document.createElement('a'); a.textContent = q.replace(/\s+/g, ' ').slice(0, 60); a.title = q;
      a.onclick = () => { $('query').value = q; }; const div = document.createElement('div'); div.className = 'field'; div.appendChild(a); box.appendChild(div);
    });
  }
  function typeName(t) { return t.kind === 'NON_NULL' ? typeName(t.ofType) + '!' : t.kind === 'LIST' ? '[' + typeName(t.ofType) + ']' : t.name; }
  function baseName(t) { return t.ofType ? baseName(t.ofType) : t.name; }
  function link(name) { const a = document.createElement('a'); a.textContent = name; a.className = 'type'; a.onclick = () => showType(baseName({ name: name.replace(/[\[\]!]/g, '') })); return a; }
  function showType(name) {
    const t = types[name], box = $('explorer'); box.textContent = '';
    const back = document.createElement('a'); back.textContent = '← all types'; back.onclick = showIndex; box.appendChild(back);
    if (!t) return;
    const h = document.createElement('h3'); h.textContent = t.name + ' (' + t.kind.toLowerCase() + ')'; box.appendChild(h);
    if (t.description) { const d = document.createElement('div'); d.className = 'desc'; d.textContent = t.description; box.appendChild(d); }
    (t.fields || t.inputFields || []).forEach(f => {
      const div = document.createElement('div'); div.className = 'field';
      div.appendChild(document.createTextNode(f.name + (f.args && f.args.length ? '(' + f.args.map(a => a.name + ': ' + typeName(a.type)).join(', ') + ')' : '') + ': '));
      div.appendChild(link(typeName(f.type)));
      if (f.description) { const d = document.createElement('div'); d.className = 'desc'; d.textContent = f.description; div.appendChild(d); }
      box.appendChild(div);
    });
    (t.enumValues || []).forEach(v => { const div = document.createElement('div'); div.className = 'field'; div.textContent = v.name; box.appendChild(div); });
  }
  function showIndex() {
    const box = $('explorer'); box.textContent = '';
    Object.keys(types).filter(n => !n.startsWith('__')).sort().forEach(n => { const div = document.createElement('div'); div.className = 'field'; div.appendChild(link(n)); box.appendChild(div); });
  }
  async function loadSchema() {
    const query = '{ __schema { types { name kind description fields(includeDeprecated: true) { name description args { name type { ...T } } type { ...T } } inputFields { name description type { ...T } } enumValues(includeDeprecated: true) { name } } } } fragment T on __Type { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name } } } } }';
    try {
      const { text } = await post({ query });
      const json = JSON.parse(text);
      if (!json.data) throw new Error((json.errors || [{ message: 'no data' }])[0].message);
      types = Object.fromEntries(json.data.__schema.types.map(t => [t.name, t])); showIndex();
    } catch (e) { $('explorer').textContent = 'Schema unavailable: ' + (e.message || e); }
  }
  function prettify() {
    let depth = 0, out = '';
    for (const line of $('query').value.split('\n')) {
      const trimmed = line.trim(); if (!trimmed) continue;
      if (trimmed.startsWith('}')) depth = Math.max(0, depth - 1);
      out += '  '.repeat(depth) + trimmed + '\n';
      depth += (trimmed.match(/{/g) || []).length - (trimmed.match(/}/g) || []).length + (trimmed.startsWith('}') ? 1 : 0);
      depth = Math.max(0, depth);
    }
    $('query').value = out;
  }
  $('run').onclick = run; $('prettify').onclick = prettify;
  document.addEventListener('keydown', e => { if ((e.ctrlKey || e.metaKey) && e.key === 'Enter') { e.preventDefault(); run(); } });
  $('headers').addEventListener('change', loadSchema);
  showHistory(); loadSchema();
})();
</script>
</body></html>
""";
}
