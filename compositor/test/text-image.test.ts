import { expect } from 'chai';
import sharp from 'sharp';
import { prepareWatermarkImage, renderTextImage } from '../src/render/text-image.js';
import { FIXTURES } from './helpers/fixture-server.js';
import { join } from 'node:path';
import { readFile } from 'node:fs/promises';

const fontsDir = join(FIXTURES, 'fonts');

describe('text images (sharp)', function () {
  this.timeout(20_000);

  it('fits the longest allowed text inside the frame by shrinking the font', async () => {
    const png = await renderTextImage({ text: 'Long text 😀 '.repeat(41).slice(0, 500), size: { width: 320, height: 180 }, fontsDir, scale: 0.06, boxed: true });
    const meta = await sharp(png).metadata();
    expect(meta.width).to.be.at.most(320);
    expect(meta.height).to.be.at.most(180 * 0.9);
  });

  it('applies the watermark opacity to the alpha channel', async () => {
    const png = await renderTextImage({ text: 'NearIQ', size: { width: 640, height: 360 }, fontsDir, scale: 0.06, boxed: false, opacity: 0.5 });
    const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
    let maxAlpha = 0;
    for (let i = 3; i < data.length; i += info.channels) maxAlpha = Math.max(maxAlpha, data[i]);
    expect(maxAlpha).to.be.within(110, 130);
  });

  it('scales an image watermark to at most a sixth of the frame', async () => {
    const png = await prepareWatermarkImage({ image: await readFile(join(FIXTURES, 'media', 'logo.png')), size: { width: 1920, height: 1080 }, opacity: 1 });
    const meta = await sharp(png).metadata();
    expect(meta.width).to.equal(320);
    expect(meta.channels).to.equal(4);
  });
});
