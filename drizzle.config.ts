// drizzle-kit: `npm run db:generate` writes SQL migrations from stores/schema.ts.
import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'postgresql',
  schema: './stores/schema.ts',
  out: './stores/migrations',
});
