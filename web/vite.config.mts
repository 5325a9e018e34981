import preact from "@preact/preset-vite";
import { defineConfig } from "vite";

// Built into static/app/ and served by Cercle's existing /static mount, so the hashed files
// live at /static/app/assets/ and index.html (served for every app route) points there.
export default defineConfig({
  base: "/static/app/",
  plugins: [preact()],
  build: {
    outDir: "../static/app",
    emptyOutDir: true,
    assetsDir: "assets",
    // No inline scripts under the app's CSP, and no data: URLs for small assets either.
    assetsInlineLimit: 0,
  },
});
