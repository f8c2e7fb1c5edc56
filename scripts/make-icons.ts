// Renders app/icon.svg (the source of every icon) into the raster icons browsers ask for:
// app/favicon.ico (16 and 32 px) and app/apple-icon.png (180 px). Run after changing the SVG:
//   npx tsx scripts/make-icons.ts
import fs from "node:fs";
import path from "node:path";
import { chromium } from "@playwright/test";

const root = process.cwd();
const svg = fs.readFileSync(path.join(root, "app", "icon.svg"), "utf8");
const executablePath = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].find((file) => fs.existsSync(file));
const browser = await chromium.launch({ executablePath, args: ["--no-sandbox", "--disable-gpu"] });

/** The SVG at `size` pixels; `opaque` fills the rounded corners with the brand colour. */
async function render(size: number, opaque = false): Promise<Buffer> {
  const page = await browser.newPage({ viewport: { width: size, height: size } });
  const image = `data:image/svg+xml;base64,${Buffer.from(svg).toString("base64")}`;
  await page.setContent(
    `<body style="margin:0;background:${opaque ? "#2448ad" : "transparent"}"><img src="${image}" width="${size}" height="${size}" style="display:block"></body>`,
  );
  const png = await page.screenshot({ omitBackground: !opaque });
  await page.close();
  return png;
}

/** An ICO file whose images are PNGs (supported by every browser since Windows Vista's format). */
function ico(images: { size: number; png: Buffer }[]): Buffer {
  const header = Buffer.alloc(6);
  header.writeUInt16LE(0, 0);
  header.writeUInt16LE(1, 2);
  header.writeUInt16LE(images.length, 4);
  let offset = 6 + 16 * images.length;
  const entries = images.map(({ size, png }) => {
    const entry = Buffer.alloc(16);
    entry.writeUInt8(size >= 256 ? 0 : size, 0);
    entry.writeUInt8(size >= 256 ? 0 : size, 1);
    entry.writeUInt16LE(1, 4);
    entry.writeUInt16LE(32, 6);
    entry.writeUInt32LE(png.length, 8);
    entry.writeUInt32LE(offset, 12);
    offset += png.length;
    return entry;
  });
  return Buffer.concat([header, ...entries, ...images.map(({ png }) => png)]);
}

const sizes = [16, 32];
const pngs = await Promise.all(sizes.map(async (size) => ({ size, png: await render(size) })));
fs.writeFileSync(path.join(root, "app", "favicon.ico"), ico(pngs));
// iOS rounds the corners itself and shows transparency as black.
fs.writeFileSync(path.join(root, "app", "apple-icon.png"), await render(180, true));
await browser.close();
console.log("Wrote app/favicon.ico and app/apple-icon.png from app/icon.svg.");
