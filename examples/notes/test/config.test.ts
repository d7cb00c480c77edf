import { describe, expect, it } from 'vitest';
import { ConfigError, readConfig } from '../src/config.js';

describe('readConfig', () => {
  it('has defaults for everything', () => {
    const config = readConfig({});
    expect(config).toMatchObject({
      host: '127.0.0.1',
      httpPort: 8080,
      ftpPort: 2121,
      smtpPort: 2525,
      mqttPort: 1883,
      mqttWsPort: 8083,
      mqttUrl: undefined,
      user: 'demo',
      password: 'demo',
      requireAuth: false,
    });
    expect(config.dataDir).toMatch(/examples[/\\]notes[/\\]data[/\\]?$/);
  });

  it('reads every variable', () => {
    const config = readConfig({
      PARLEY_HOST: '0.0.0.0',
      PARLEY_HTTP_PORT: '18080',
      PARLEY_FTP_PORT: '12121',
      PARLEY_SMTP_PORT: '12525',
      PARLEY_MQTT_PORT: '11883',
      PARLEY_MQTT_WS_PORT: '18083',
      PARLEY_MQTT_URL: 'mqtt://broker.example:1883',
      PARLEY_DATA_DIR: '/tmp/notes',
      PARLEY_USER: 'alice',
      PARLEY_PASSWORD: 's3cret',
      PARLEY_REQUIRE_AUTH: '1',
    });
    expect(config).toEqual({
      host: '0.0.0.0',
      httpPort: 18080,
      ftpPort: 12121,
      smtpPort: 12525,
      mqttPort: 11883,
      mqttWsPort: 18083,
      mqttUrl: 'mqtt://broker.example:1883',
      dataDir: '/tmp/notes',
      user: 'alice',
      password: 's3cret',
      requireAuth: true,
    });
  });

  it('accepts port 0 (any free port) and treats empty values as unset', () => {
    expect(readConfig({ PARLEY_HTTP_PORT: '0', PARLEY_FTP_PORT: '' })).toMatchObject({
      httpPort: 0,
      ftpPort: 2121,
    });
    expect(readConfig({ PARLEY_REQUIRE_AUTH: '0' }).requireAuth).toBe(false);
  });

  it.each([
    ['PARLEY_HTTP_PORT', 'eighty', /PARLEY_HTTP_PORT must be a port number, got "eighty"/],
    ['PARLEY_FTP_PORT', '-1', /PARLEY_FTP_PORT must be a port number/],
    ['PARLEY_SMTP_PORT', '65536', /PARLEY_SMTP_PORT must be between 0 and 65535, got 65536/],
    ['PARLEY_MQTT_PORT', '18.5', /PARLEY_MQTT_PORT must be a port number/],
    ['PARLEY_MQTT_WS_PORT', '1e3', /PARLEY_MQTT_WS_PORT must be a port number/],
    ['PARLEY_MQTT_URL', 'not a url', /PARLEY_MQTT_URL must be a URL/],
    ['PARLEY_MQTT_URL', 'http://127.0.0.1:1883', /PARLEY_MQTT_URL must be an mqtt:\/\/ or mqtts:\/\/ URL/],
    ['PARLEY_REQUIRE_AUTH', 'yes', /PARLEY_REQUIRE_AUTH must be 1 or 0/],
  ])('refuses %s=%s with a clear message', (name, value, message) => {
    expect(() => readConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => readConfig({ [name]: value })).toThrow(message);
  });
});
