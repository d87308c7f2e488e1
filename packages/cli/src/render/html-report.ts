import { writeFile } from 'node:fs/promises';
import { loadImage } from '@hoi/core';
import type { HoiResult } from '@hoi/core/spec';
import sharp from 'sharp';
import { overlaySvg } from './overlay-svg.js';

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export interface HtmlReportOptions {
  /** Longest side of the embedded JPEGs, in pixels. Default 1024. */
  maxImageSide?: number;
  /** Page title. */
  title?: string;
  /** Draw at most this many pairs per image. Default 12. */
  maxPairs?: number;
}

/**
 * Writes one self-contained HTML page (no external file, script or font) showing every image with its
 * overlay and a sortable list of interactions; hovering a row highlights its pair in the picture.
 * Images are re-read from the paths in the records and embedded as JPEG data URLs.
 */
export async function writeHtmlReport(
  results: readonly HoiResult[],
  file: string,
  options: HtmlReportOptions = {},
): Promise<void> {
  const maxSide = options.maxImageSide ?? 1024;
  const figures: string[] = [];
  const rows: string[] = [];
  for (const [n, result] of results.entries()) {
    const prefix = `img${n}`;
    let src = '';
    try {
      const image = await loadImage(result.image);
      const jpeg = await sharp(image.data, { raw: { width: image.width, height: image.height, channels: 3 } })
        .resize({ width: maxSide, height: maxSide, fit: 'inside', withoutEnlargement: true })
        .jpeg({ quality: 82 })
        .toBuffer();
      src = `data:image/jpeg;base64,${jpeg.toString('base64')}`;
    } catch {
      // the picture is gone: show the overlay on grey so the record can still be read
    }
    const [w, h] = result.size;
    const svg = overlaySvg(result, {
      interactive: true,
      idPrefix: prefix,
      maxPairs: options.maxPairs,
    }).replace('<svg ', `<svg class="overlay" preserveAspectRatio="none" `);
    figures.push(
      `<figure id="${prefix}" data-image="${esc(result.image)}"><div class="stage" style="aspect-ratio:${w}/${h};width:min(900px,90vw,${Math.round((600 * w) / h)}px)">${
        src
          ? `<img alt="${esc(result.image)}" src="${src}">`
          : '<div class="missing">image not readable</div>'
      }${svg}</div><figcaption>${esc(result.image)} - ${result.instances.length} instances, ${result.interactions.length} interactions</figcaption></figure>`,
    );
    for (const t of result.interactions) {
      const s = result.instances[t.subject];
      const o = result.instances[t.object];
      rows.push(
        `<tr data-pair="${prefix}-${t.subject}-${t.object}" data-figure="${prefix}"><td>${esc(result.image)}</td><td>${esc(s?.label ?? '?')} #${t.subject}</td><td>${esc(t.verb.replace(/_/g, ' '))}</td><td>${esc(o?.label ?? '?')} #${t.object}</td><td data-value="${t.score}">${t.score.toFixed(4)}</td></tr>`,
      );
    }
  }
  const title = esc(options.title ?? 'HOI detections');
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${title}</title>
<style>
body{font-family:system-ui,sans-serif;margin:1.5rem;background:#fafafa;color:#222}
figure{display:inline-block;vertical-align:top;margin:0 1rem 1rem 0;max-width:min(100%,900px)}
.stage{position:relative;width:min(900px,90vw);max-width:100%;background:#ccc}
.stage img,.stage .overlay{position:absolute;inset:0;width:100%;height:100%}
.missing{position:absolute;inset:0;display:flex;align-items:center;justify-content:center}
.overlay .pair{opacity:.55}
.overlay .pair.hl{opacity:1}
.overlay .pair.hl line{stroke-width:8px}
.overlay .inst.hl rect{stroke-width:8px;stroke-opacity:1}
table{border-collapse:collapse;margin-top:1rem;font-size:.9rem}
th,td{padding:.25rem .6rem;border-bottom:1px solid #ddd;text-align:left}
th{cursor:pointer;user-select:none;background:#eee}
tr.hl{background:#fff3b0}
</style></head><body>
<h1>${title}</h1>
<p>${results.length} images. Hover an interaction to highlight its pair; click a column to sort.</p>
<section id="figures">${figures.join('\n')}</section>
<table id="interactions"><thead><tr><th data-col="0">image</th><th data-col="1">subject</th><th data-col="2">verb</th><th data-col="3">object</th><th data-col="4" data-numeric="1">score</th></tr></thead>
<tbody>${rows.join('\n')}</tbody></table>
<script>
(function(){
  var tbody=document.querySelector('#interactions tbody');
  function mark(tr,on){
    var key=tr.getAttribute('data-pair'),fig=tr.getAttribute('data-figure');
    var parts=key.split('-'),s=parts[1],o=parts[2];
    document.querySelectorAll('[data-pair="'+key+'"]').forEach(function(e){e.classList.toggle('hl',on)});
    [s,o].forEach(function(i){var e=document.getElementById(fig+'-i'+i);if(e)e.classList.toggle('hl',on)});
  }
  tbody.addEventListener('mouseover',function(e){var tr=e.target.closest('tr');if(tr)mark(tr,true)});
  tbody.addEventListener('mouseout',function(e){var tr=e.target.closest('tr');if(tr)mark(tr,false)});
  document.querySelectorAll('#interactions th').forEach(function(th){
    th.addEventListener('click',function(){
      var col=+th.getAttribute('data-col'),num=th.hasAttribute('data-numeric');
      var dir=th.getAttribute('data-dir')==='asc'?'desc':'asc';th.setAttribute('data-dir',dir);
      var rows=Array.prototype.slice.call(tbody.rows);
      rows.sort(function(a,b){
        var x=a.cells[col],y=b.cells[col];
        var c=num?(+x.getAttribute('data-value'))-(+y.getAttribute('data-value')):x.textContent.localeCompare(y.textContent);
        return dir==='asc'?c:-c;
      });
      rows.forEach(function(r){tbody.appendChild(r)});
    });
  });
})();
</script>
</body></html>
`;
  await writeFile(file, html);
}
