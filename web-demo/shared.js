// The shared-record demo page: <roei-incident endpoint="/roei-api/"> for the party, token and incident
// named in the URL fragment (#party=contractor&token=…&incident=…), as scripts/serve-demo.sh prints.
const p = new URLSearchParams(location.hash.slice(1));
const party = p.get("party") === "principal" ? "principal" : "contractor";
const el = document.createElement("roei-incident");
el.setAttribute("endpoint", "/roei-api/");
el.setAttribute("party", party);
el.setAttribute("storage-key", p.get("incident") ?? "INC-2026-0042");
if (p.get("token")) el.setAttribute("access-token", p.get("token"));
document.getElementById("who").textContent = party === "principal" ? "委託者（長岡市）/ city" : "受託者 / contractor";
document.getElementById("slot").append(el);
