// A custom element that is "ready" as soon as it connects: the floor the widget's load time sits on.
customElements.define("floor-element", class extends HTMLElement {
  connectedCallback() {
    this.textContent = "ready";
    this.dispatchEvent(new CustomEvent("roei-ready", { bubbles: true, composed: true }));
  }
});
