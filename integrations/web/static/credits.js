// <credits-balance token="…"> shows a workspace's balance, its next expiry and a "buy more" link
// in the host product's page. The token is a short-lived embed token minted by the host's backend.
(() => {
  const script = document.currentScript;
  const base = script ? new URL(script.src).origin : location.origin;
  const fmt = (n) => Number(n).toLocaleString();
  class CreditsBalance extends HTMLElement {
    static get observedAttributes() {
      return ['token'];
    }
    connectedCallback() {
      if (!this.shadowRoot) this.attachShadow({ mode: 'open' });
      this.load();
    }
    attributeChangedCallback() {
      if (this.shadowRoot) this.load();
    }
    render(html) {
      this.shadowRoot.innerHTML = `<style>:host{display:inline-block;font:inherit}.b{display:inline-flex;gap:10px;align-items:baseline;flex-wrap:wrap}.t{font-weight:700}.e{opacity:.8;font-size:.9em}a{color:inherit}</style>${html}`;
    }
    async load() {
      const api = this.getAttribute('api') || base;
      const token = this.getAttribute('token');
      this.render('<span class="b" role="status">Loading balance…</span>');
      try {
        const response = await fetch(`${api}/embed/balance`, {
          headers: { authorization: `Bearer ${token}` },
        });
        if (!response.ok) throw new Error(String(response.status));
        const b = await response.json();
        const expiry = b.nextExpiry
          ? `<span class="e" part="expiry">${fmt(b.nextExpiry.amount)} expire ${b.nextExpiry.at.slice(0, 10)}</span>`
          : '';
        this.render(
          `<span class="b" part="balance"><span class="t" part="total">${fmt(b.total)} credits</span>${expiry}<a part="buy" href="${encodeURI(b.buyUrl)}" target="_top">Buy more</a></span>`,
        );
        this.dataset.state = 'ready';
      } catch {
        this.render('<span class="b" part="error" role="status">Balance unavailable</span>');
        this.dataset.state = 'error';
      }
    }
  }
  if (!customElements.get('credits-balance')) customElements.define('credits-balance', CreditsBalance);
})();
