"""Baselines for 24-hour temperature forecasts: persistence, the seasonal mean, a linear model.

All take ``awml.data.weather.Windows`` and return forecasts (N, 24) in degrees C.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from awml.data.weather import HORIZON, Windows, calendar_features


def persistence(windows: Windows) -> np.ndarray:
    """Return the same hours of the previous day: the last 24 observed temperatures (N, 24)."""
    return np.array(windows.inputs[:, -HORIZON:, 0], dtype=np.float64)


def _forecast_times(windows: Windows) -> np.ndarray:
    return (windows.start[:, None] + np.arange(HORIZON).astype("timedelta64[h]")).ravel()


def _harmonics(times) -> np.ndarray:
    """Return [1, the annual sin/cos, the daily sin/cos and its second harmonic]: (N, 7).

    One annual harmonic only: fitted on part of a year, a second one extrapolates badly.
    """
    hour_sin, hour_cos, day_sin, day_cos = calendar_features(times).T
    return np.stack([np.ones_like(hour_sin), day_sin, day_cos, hour_sin, hour_cos,
                     2 * hour_sin * hour_cos, hour_cos ** 2 - hour_sin ** 2], axis=1)


@dataclass
class SeasonalMean:
    """Per city, a least-squares fit of temperature on annual and daily harmonics.

    It knows the time of year and the hour, not the weather: the climatology a forecast
    must beat. Fitted on the training targets only.
    """

    coefficients: dict[int, np.ndarray]

    @classmethod
    def fit(cls, train: Windows) -> "SeasonalMean":
        """Fit one set of seven coefficients per city on the training windows' targets."""
        design = _harmonics(_forecast_times(train))
        values = train.targets.ravel()
        cities = np.repeat(train.city, HORIZON)
        fitted = {}
        for city in np.unique(cities):
            rows = cities == city
            fitted[int(city)], *_ = np.linalg.lstsq(design[rows], values[rows], rcond=None)
        return cls(fitted)

    def predict(self, windows: Windows) -> np.ndarray:
        """Return the seasonal mean at every forecast hour: (N, 24) in degrees C."""
        design = _harmonics(_forecast_times(windows)).reshape(len(windows), HORIZON, -1)
        missing = sorted(set(np.unique(windows.city).tolist()) - set(self.coefficients))
        if missing:
            raise ValueError(f"windows hold cities {missing} that the fit has not seen")
        weights = np.stack([self.coefficients[int(city)] for city in windows.city])  # (N, 7)
        return np.einsum("nhk,nk->nh", design, weights)


@dataclass
class LinearForecaster:
    """Ridge regression from the whole scaled window (24 hours of every input) to 24 hours."""

    model: object
    mean: np.ndarray
    std: np.ndarray
    alpha: float

    @staticmethod
    def _flat(windows: Windows) -> np.ndarray:
        return windows.inputs.reshape(len(windows), -1)

    @classmethod
    def fit(cls, train: Windows, validate: Windows, alphas=(0.1, 1.0, 10.0, 100.0, 1000.0)
            ) -> "LinearForecaster":
        """Fit on ``train`` for each ridge penalty and keep the best on ``validate`` (RMSE)."""
        from sklearn.linear_model import Ridge

        flat = cls._flat(train)
        mean, std = flat.mean(axis=0), flat.std(axis=0)
        std = np.where(std > 1e-9, std, 1.0)
        best = None
        for alpha in alphas:
            model = Ridge(alpha=alpha).fit((flat - mean) / std, train.targets)
            error = model.predict((cls._flat(validate) - mean) / std) - validate.targets
            rmse = float(np.sqrt(np.mean(error ** 2)))
            if best is None or rmse < best[0]:
                best = (rmse, cls(model, mean, std, float(alpha)))
        return best[1]

    def predict(self, windows: Windows) -> np.ndarray:
        """Return the forecasts (N, 24) in degrees C."""
        return self.model.predict((self._flat(windows) - self.mean) / self.std)
