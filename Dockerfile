# reformbot in a container: a static binary on distroless, run as a non-root
# user, the database and its backups on a volume.
#
#   docker build --build-arg VERSION=$(git describe --tags --always) --build-arg COMMIT=$(git rev-parse --short HEAD) -t reformbot .
#   docker run -d --name reformbot --restart unless-stopped \
#     -e TELEGRAM_BOT_TOKEN=... -e HTTPS_PROXY=http://proxy:7890 \
#     -v reformbot-data:/var/lib/reformbot -p 127.0.0.1:9090:9090 reformbot
#   docker exec reformbot reformbot doctor

FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=dev
ARG COMMIT=
# modernc.org/sqlite is pure Go: CGO off gives a static binary.
RUN CGO_ENABLED=0 go build -trimpath \
      -ldflags "-s -w -X main.version=${VERSION} -X main.buildCommit=${COMMIT}" \
      -o /out/reformbot ./cmd/reformbot \
 && mkdir -p /out/data

# distroless/static has CA certificates (for api.telegram.org) and a nonroot
# user (65532); reformbot carries its own time zone data.
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/reformbot /usr/local/bin/reformbot
COPY --from=build --chown=65532:65532 /out/data /var/lib/reformbot
USER nonroot:nonroot
WORKDIR /var/lib/reformbot
ENV PATH=/usr/local/bin \
    REFORMBOT_DB=/var/lib/reformbot/reformbot.db \
    REFORMBOT_BACKUP_DIR=/var/lib/reformbot/backups \
    REFORMBOT_METRICS=:9090
VOLUME ["/var/lib/reformbot"]
EXPOSE 9090
ENTRYPOINT ["/usr/local/bin/reformbot"]
CMD ["serve"]
