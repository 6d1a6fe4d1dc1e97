// The yardstick: Express 5 with helmet's default headers, answering a short string. The portal's
// pages are judged as a share of this app's throughput measured in the same run, on the same machine.
import express from 'express';
import helmet from 'helmet';

const app = express();
app.use(helmet());
app.get('/', (_req, res) => {
  res.send('Hello from the baseline');
});
const server = app.listen(Number(process.env.PORT ?? 3999), '127.0.0.1');
process.on('SIGTERM', () => server.close(() => process.exit(0)));
