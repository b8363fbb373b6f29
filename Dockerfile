FROM node:20-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund
COPY . .
RUN node --import tsx scripts/build-console.ts
ENV HOST=0.0.0.0 PORT=8080 LAKEGATE_HOME=/data/lakegate
EXPOSE 8080
CMD ["node", "--import", "tsx", "src/server.ts"]
