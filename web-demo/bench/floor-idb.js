// The floor for a saved record: a custom element that is "ready" once it has read one key from
// IndexedDB, as the widget must before it can draw a saved incident (tests/js/bench-load.mjs). Opened
// at module load, as the widget opens it.
const stored = new Promise((resolve) => {
  const req = indexedDB.open("roei", 1);
  req.onupgradeneeded = () => req.result.createObjectStore("records");
  req.onsuccess = () => {
    const get = req.result.transaction("records").objectStore("records").get("roei-incident");
    get.onsuccess = () => resolve(get.result ?? null);
    get.onerror = () => resolve(null);
  };
  req.onerror = () => resolve(null);
});
customElements.define("floor-element", class extends HTMLElement {
  async connectedCallback() {
    const text = await stored;
    this.textContent = `ready (${text ? text.length : 0} characters read)`;
    this.dispatchEvent(new CustomEvent("roei-ready", { bubbles: true, composed: true }));
  }
});
