// Renders the easy read pictures listed in app/reports/easyread_pictures.json
// from OpenMoji's SVGs (node_modules/openmoji, pinned in package.json) to PNG,
// into the folder given as the first argument. Run by `make pictures`.
import { readFileSync, writeFileSync, mkdirSync, copyFileSync } from "node:fs";
import { join } from "node:path";
import { Resvg } from "@resvg/resvg-js";

const out = process.argv[2];
const list = JSON.parse(readFileSync("app/reports/easyread_pictures.json", "utf8"));
const source = "node_modules/openmoji";
mkdirSync(out, { recursive: true });
for (const { code } of Object.values(list.pictures)) {
  const svg = readFileSync(join(source, "color/svg", `${code}.svg`));
  const png = new Resvg(svg, { fitTo: { mode: "width", value: list.size_px },
                               background: "rgba(255,255,255,0)" }).render().asPng();
  writeFileSync(join(out, `${code}.png`), png);
}
copyFileSync(join(source, "LICENSE.txt"), join(out, "LICENSE.txt"));
console.log(`${Object.keys(list.pictures).length} easy read pictures in ${out}`);
