import { z } from 'zod';

export const putWebhookSchema = z.object({
  url: z.string({ error: 'url is required: send {"url": "https://example.com/hooks/neariq"}.' }),
  rotateSecret: z.boolean({ error: 'rotateSecret must be true or false.' }).optional(),
});
