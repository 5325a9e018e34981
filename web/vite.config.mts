import preact from "@preact/preset-vite";
import { defineConfig } from "vite";

// Built into static/app/ (WEB_APP_DIR): Cercle serves index.html for every app route, with its CSP,
// and the hashed files under /assets/ with long cache headers.
export default defineConfig({
  base: "/",
  plugins: [preact()],
  build: {
    outDir: "../static/app",
    emptyOutDir: true,
    assetsDir: "assets",
    // No inline scripts under the app's CSP, and no data: URLs for small assets either.
    assetsInlineLimit: 0,
  },
});
