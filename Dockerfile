# The moderation service image: one image, two commands (server and workers).
# Built on the council's servers; MongoDB 7 and Redis 7 come from docker-compose.yml.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npx tsc -p tsconfig.json --outDir dist --noEmit false \
 && npm prune --omit=dev

FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
# Views, static files and PDF fonts are read at run time from these paths.
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/dashboard ./dashboard
COPY --from=build /app/core/detect/data ./dist/core/detect/data
COPY package.json ./
# The code finds views and front-end assets relative to its own folder (dist/), as it does in the repo.
RUN ln -s /app/dashboard /app/dist/dashboard && ln -s /app/node_modules /app/dist/node_modules
USER node
EXPOSE 3000
CMD ["node", "dist/server/main.js"]
