// The floors the widget's load time sits on (tests/js/bench-load.mjs): a custom element that is
// "ready" as soon as it connects; with `?idb`, only once it has read the stored record from IndexedDB,
// as the widget must before it can draw a saved incident (opened at module load, as the widget does).
const stored = new URLSearchParams(location.search).has("idb")
  ? new Promise((resolve) => {
    const req = indexedDB.open("roei", 1);
    req.onupgradeneeded = () => req.result.createObjectStore("records");
    req.onsuccess = () => {
      const get = req.result.transaction("records").objectStore("records").get("roei-incident");
      get.onsuccess = () => resolve(get.result ?? null);
      get.onerror = () => resolve(null);
    };
    req.onerror = () => resolve(null);
  })
  : null;
customElements.define("floor-element", class extends HTMLElement {
  async connectedCallback() {
    const text = await stored;
    this.textContent = text === null ? "ready" : `ready (${text.length} characters read)`;
    this.dispatchEvent(new CustomEvent("roei-ready", { bubbles: true, composed: true }));
  }
});
