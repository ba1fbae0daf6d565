/* state.js - the session: who is logged in, the organizations and, for the
 * chosen one, the capabilities the server reports (GET /api/v1/me). Nothing else
 * in the web decides what may be done. */
export const state = { orgs: [], org: null, caps: new Set(), currency: "", csrf: null };

export function can(capability) { return state.caps.has(capability); }

export function chooseOrg(slug) {
  const o = state.orgs.find((x) => x.slug === slug) || state.orgs[0];
  state.org = o ? o.slug : null;
  state.caps = new Set(o && o.capabilities ? o.capabilities : []);
  state.currency = o ? o.currency : "";
  if (state.org) localStorage.setItem("fs.org", state.org);
  applyCaps(document);
  return state.org;
}

/* /api/v1/orgs/{org}{p} and the web's own address /o/{org}{p} */
export const orgPath = (p) => "/orgs/" + encodeURIComponent(state.org) + p;
export const href = (p) => "/o/" + encodeURIComponent(state.org) + p;

/* a control marked data-cap="capability" is offered only when it is held */
export function applyCaps(root) {
  root.querySelectorAll("[data-cap]").forEach((x) => { x.hidden = !can(x.dataset.cap); });
}
